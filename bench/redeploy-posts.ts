import { appHost, deploy, projectServingFirst, waitFinished } from './lib/deployments';
import { failureKinds, startLoad } from './lib/http-load';
import type { Bench, MetricResult } from './lib/types';

/**
 * POST load through the apps' port during redeploys, once with kept-alive connections and once with a
 * new connection per request; each failure is counted against the slot the new version took.
 */
export const redeployPosts: Bench = {
  name: 'redeploy-posts',
  description: 'failed POST requests during redeploys (keep-alive and new connections)',
  async run({ stack: getStack, quick, log }) {
    const stack = await getStack();
    const project = `rp-${stack.runId}`;
    const versions = ['posts a', 'posts b'];
    const images = await projectServingFirst(stack, project, versions);
    let next = 1;
    const results: MetricResult[] = [];
    const redeploys = quick ? 2 : 6;
    const modes = [
      { keepAlive: true, port: stack.appsPort, label: 'keep-alive' },
      { keepAlive: false, port: stack.appsPort, label: 'new connection per request' },
      // Without the edge: what a client talking straight to Caddy sees of its config reloads.
      { keepAlive: true, port: stack.caddyPort, label: 'keep-alive, straight to Caddy without the edge' },
    ];
    for (const { keepAlive, port, label: mode } of modes) {
      const load = startLoad({
        port,
        host: appHost(project),
        clients: quick ? 4 : 10,
        keepAlive,
        method: 'POST',
        accept: (body) => versions.includes(body),
      });
      const windows: { slot: string; from: number; to: number }[] = [];
      for (let index = 0; index < redeploys; index++, next++) {
        const from = Date.now();
        const { id } = await deploy(stack, project, images[next % 2] as string);
        const row = await waitFinished(stack, id);
        windows.push({ slot: row.slot ?? '?', from, to: Date.now() });
      }
      const stats = await load.stop();
      const bySlot = { a: 0, b: 0, between: 0 };
      for (const failure of stats.failures) {
        const window = windows.find(
          (candidate) => failure.at >= candidate.from && failure.at <= candidate.to,
        );
        if (window?.slot === 'a' || window?.slot === 'b') bySlot[window.slot]++;
        else bySlot.between++;
      }
      log(`${mode}: ${stats.failed} of ${stats.sent} failed (slot a ${bySlot.a}, slot b ${bySlot.b})`);
      for (const [what, count] of failureKinds(stats.failures)) log(`  ${count} × ${what}`);
      results.push({
        metric: `failed POST requests during ${redeploys} redeploys (${mode})`,
        now: `${stats.failed} of ${stats.sent} (new version in slot a: ${bySlot.a}, in slot b: ${bySlot.b}${bySlot.between ? `, between redeploys: ${bySlot.between}` : ''})`,
        goal: port === stack.appsPort ? '0' : '— (the apps port is the edge)',
        met: port === stack.appsPort ? stats.failed === 0 : null,
      });
    }
    return results;
  },
};
