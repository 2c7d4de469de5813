import { appImage } from './lib/app-image';
import { createProject, deploy, deploymentTimeline, firstAnswer, waitFinished } from './lib/deployments';
import { formatSummary, round, summarize } from './lib/stats';
import type { Bench, MetricResult } from './lib/types';

/** Redeploy of a running project with a new version → the new version answers at its URL, by slot. */
export const redeployNewVersion: Bench = {
  name: 'redeploy-new-version',
  description: 'redeploy → the new version answers (slot a and slot b)',
  async run({ stack: getStack, quick, log, chart }) {
    const stack = await getStack();
    const project = `rd-${stack.runId}`;
    await createProject(stack, project);
    const versions = ['redeploy a', 'redeploy b'];
    const images = [
      await appImage(stack.docker, project, versions[0] as string, stack.images),
      await appImage(stack.docker, project, versions[1] as string, stack.images),
    ];
    await waitFinished(stack, (await deploy(stack, project, images[0] as string)).id);
    const bySlot = { a: [] as number[], b: [] as number[] };
    for (let index = 1; index <= (quick ? 4 : 12); index++) {
      const body = versions[index % 2] as string;
      const { id, requestedAt } = await deploy(stack, project, images[index % 2] as string);
      const answered = await firstAnswer(stack, project, body);
      const row = await waitFinished(stack, id);
      bySlot[row.slot ?? 'a'].push(answered - requestedAt);
      if (index <= 4) {
        const timeline = await deploymentTimeline(stack, id, `redeploy ${index} → slot ${row.slot}`);
        chart('deploy-timeline', { ...timeline, answered });
      }
    }
    const results: MetricResult[] = [];
    for (const slot of ['a', 'b'] as const) {
      if (bySlot[slot].length === 0) continue;
      const summary = summarize(bySlot[slot]);
      log(`slot ${slot}: ${formatSummary(summary, 'ms')}`);
      results.push({
        metric: `redeploy → the new version answers (new version in slot ${slot})`,
        now: `median ${round(summary.median / 1000)} s, max ${round(summary.max / 1000)} s`,
        goal: 'median ≤ 1.5 s, max ≤ 2.5 s',
        met: summary.median <= 1_500 && summary.max <= 2_500,
        summary,
        unit: 'ms',
      });
    }
    return results;
  },
};
