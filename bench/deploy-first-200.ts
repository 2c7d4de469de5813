import { appImage } from './lib/app-image';
import { createProject, deploy, deploymentTimeline, firstAnswer, waitFinished } from './lib/deployments';
import { dockerRunTo200 } from './lib/docker-run-baseline';
import { formatSummary, round, summarize } from './lib/stats';
import type { Bench } from './lib/types';

/** A new project's first deployment of a pre-built (local) image → first 200 with its body at its URL. */
export const deployFirst200: Bench = {
  name: 'deploy-first-200',
  description: 'pre-built image deploy → first 200 at its URL',
  async run({ stack: getStack, quick, log, chart }) {
    const stack = await getStack();
    const samples: number[] = [];
    const baseline: number[] = [];
    for (let index = 0; index < (quick ? 3 : 10); index++) {
      const project = `df-${stack.runId}-${index}`;
      await createProject(stack, project);
      const body = `first ${index}`;
      const image = await appImage(stack.docker, project, body, stack.images);
      baseline.push(await dockerRunTo200(stack.docker, image, body));
      const { id, requestedAt } = await deploy(stack, project, image);
      const answered = await firstAnswer(stack, project, body);
      samples.push(answered - requestedAt);
      await waitFinished(stack, id);
      if (index < 2)
        chart('deploy-timeline', {
          ...(await deploymentTimeline(stack, id, `first deploy ${index + 1}`)),
          answered,
        });
    }
    const summary = summarize(samples);
    const plain = summarize(baseline);
    log(`Rise: ${formatSummary(summary, 'ms')}; plain docker run: ${formatSummary(plain, 'ms')}`);
    return [
      {
        metric: 'pre-built image deploy → first 200 at its URL',
        now: `median ${round(summary.median / 1000)} s, p95 ${round(summary.p95 / 1000)} s`,
        goal: 'median ≤ 1.0 s',
        met: summary.median <= 1_000,
        summary,
        unit: 'ms',
      },
      {
        metric: 'the same image by plain `docker run` → first 200 (no Rise)',
        now: `median ${round(plain.median / 1000)} s, p95 ${round(plain.p95 / 1000)} s`,
        goal: '—',
        met: null,
        summary: plain,
        unit: 'ms',
      },
    ];
  },
};
