import { appHost, deploy, projectServingFirst, waitFinished } from './lib/deployments';
import { failureKinds, startLoad } from './lib/http-load';
import type { Bench } from './lib/types';

/** GET load through the apps' port (half kept-alive, half new connections) during 5 redeploys. */
export const redeployGets: Bench = {
  name: 'redeploy-gets',
  description: 'failed GET requests during 5 redeploys under load',
  async run({ stack: getStack, quick, log }) {
    const stack = await getStack();
    const project = `rg-${stack.runId}`;
    const versions = ['gets a', 'gets b'];
    const images = await projectServingFirst(stack, project, versions);
    const clients = quick ? 2 : 4;
    const common = {
      port: stack.appsPort,
      host: appHost(project),
      clients,
      accept: (body: string) => versions.includes(body),
    };
    const loads = [startLoad({ ...common, keepAlive: true }), startLoad({ ...common, keepAlive: false })];
    const redeploys = 5;
    for (let index = 1; index <= redeploys; index++) {
      await waitFinished(stack, (await deploy(stack, project, images[index % 2] as string)).id);
    }
    const [kept, fresh] = await Promise.all(loads.map((load) => load.stop()));
    const sent = (kept?.sent ?? 0) + (fresh?.sent ?? 0);
    const failed = (kept?.failed ?? 0) + (fresh?.failed ?? 0);
    log(
      `keep-alive: ${kept?.failed} of ${kept?.sent} failed; new connections: ${fresh?.failed} of ${fresh?.sent} failed`,
    );
    for (const [what, count] of failureKinds([...(kept?.failures ?? []), ...(fresh?.failures ?? [])])) {
      log(`  ${count} × ${what}`);
    }
    return [
      {
        metric: `failed GET requests during ${redeploys} redeploys under load`,
        now: `${failed} of ${sent} (${clients * 2} clients, half keep-alive)`,
        goal: '0',
        met: failed === 0,
      },
    ];
  },
};
