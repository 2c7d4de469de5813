import { appImage } from './lib/app-image';
import { createProject, deploy, deploymentRow, waitFinished } from './lib/deployments';
import { formatSummary, round, summarize } from './lib/stats';
import type { Bench } from './lib/types';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Deployment queued (its row written) → the worker starts it (`started_at`), one deploy at a time. */
export const jobPickup: Bench = {
  name: 'job-pickup',
  description: 'job pickup: deployment queued → worker starts it',
  async run({ stack: getStack, quick, log }) {
    const stack = await getStack();
    const project = `jp-${stack.runId}`;
    await createProject(stack, project);
    const images = [
      await appImage(stack.docker, project, 'pickup a', stack.images),
      await appImage(stack.docker, project, 'pickup b', stack.images),
    ];
    const samples: number[] = [];
    for (let round_ = 0; round_ < (quick ? 4 : 12); round_++) {
      // A random moment, so a polling worker is met at every phase of its interval.
      await sleep(Math.random() * 2_000);
      const { id } = await deploy(stack, project, images[round_ % 2] as string);
      await waitFinished(stack, id);
      const row = await deploymentRow(stack, id);
      samples.push((row.started as number) - row.created);
    }
    const summary = summarize(samples);
    log(formatSummary(summary, 'ms'));
    return [
      {
        metric: 'job pickup (deployment queued → worker starts it)',
        now: `median ${round(summary.median)} ms, max ${round(summary.max)} ms`,
        goal: '≤ 100 ms',
        met: summary.median <= 100,
        summary,
        unit: 'ms',
      },
    ];
  },
};
