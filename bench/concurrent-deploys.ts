import { appImage } from './lib/app-image';
import { createProject, deploy, deploymentTimeline, waitFinished } from './lib/deployments';
import { formatSummary, round, summarize } from './lib/stats';
import type { Bench } from './lib/types';

const PROJECTS = 20;

/** 20 projects' first deployments queued at once → all healthy (each one's time to healthy is a sample). */
export const concurrentDeploys: Bench = {
  name: 'concurrent-deploys',
  description: '20 deployments of 20 projects queued at once → all healthy',
  async run({ stack: getStack, log, chart }) {
    const stack = await getStack();
    const projects = Array.from({ length: PROJECTS }, (_, index) => `cc-${stack.runId}-${index}`);
    const images: string[] = [];
    for (const project of projects) {
      await createProject(stack, project);
      images.push(await appImage(stack.docker, project, `concurrent ${project}`, stack.images));
    }
    const started = Date.now();
    const queued = await Promise.all(
      projects.map((project, index) => deploy(stack, project, images[index] as string)),
    );
    const rows = await Promise.all(queued.map(({ id }) => waitFinished(stack, id, 300_000)));
    const healthy = rows.map((row) => row.healthy as number);
    const timelines = await Promise.all(
      queued.map(({ id }, index) => deploymentTimeline(stack, id, `project ${index + 1}`)),
    );
    // In the order the worker took them: the chart then shows how many ran at once.
    timelines.sort((a, b) => (a.pickedUp ?? a.queued) - (b.pickedUp ?? b.queued));
    for (const timeline of timelines) chart('concurrent-timeline', timeline);
    const samples = healthy.map((at) => at - started);
    const summary = summarize(samples);
    log(`time to healthy per deployment: ${formatSummary(summary, 'ms')}`);
    return [
      {
        metric: '20 deployments of 20 projects queued at once → all healthy',
        now: `${round(summary.max / 1000)} s (first healthy after ${round(summary.min / 1000)} s)`,
        goal: '≤ 5 s',
        met: summary.max <= 5_000,
        summary,
        unit: 'ms',
      },
    ];
  },
};
