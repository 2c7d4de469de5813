import { appImage } from './lib/app-image';
import { appHost, createProject, deploy, waitFinished } from './lib/deployments';
import { throughput } from './lib/http-load';
import { formatSummary, round, summarize } from './lib/stats';
import type { Bench } from './lib/types';

/**
 * Kept-alive GET throughput of the keep-alive app through Caddy's own listener, divided by the same
 * load sent straight to the app's slot port; also through the apps' edge in front of Caddy.
 */
export const proxyThroughput: Bench = {
  name: 'proxy-throughput',
  description: 'Caddy-proxied ÷ direct throughput with a keep-alive app',
  async run({ stack: getStack, quick, log }) {
    const stack = await getStack();
    const project = `tp-${stack.runId}`;
    await createProject(stack, project);
    const image = await appImage(stack.docker, project, 'throughput', stack.images);
    const row = await waitFinished(stack, (await deploy(stack, project, image)).id);
    const { rows } = await stack.db.query('SELECT slot_port_a, slot_port_b FROM projects WHERE name = $1', [
      project,
    ]);
    const directPort = Number(row.slot === 'b' ? rows[0]?.slot_port_b : rows[0]?.slot_port_a);
    if (!directPort) throw new Error(`no slot port recorded for ${project}`);
    const options = { host: appHost(project), clients: 8, durationMs: quick ? 3_000 : 8_000 };
    const caddyRatios: number[] = [];
    const edgeRatios: number[] = [];
    for (let round_ = 0; round_ < (quick ? 2 : 5); round_++) {
      const direct = await throughput({ ...options, port: directPort });
      const caddy = await throughput({ ...options, port: stack.caddyPort });
      const edge = await throughput({ ...options, port: stack.appsPort });
      log(
        `direct ${round(direct.perSecond)}/s, Caddy ${round(caddy.perSecond)}/s, edge → Caddy ${round(edge.perSecond)}/s` +
          ` (failed: ${direct.failed}, ${caddy.failed}, ${edge.failed})`,
      );
      caddyRatios.push(caddy.perSecond / direct.perSecond);
      edgeRatios.push(edge.perSecond / direct.perSecond);
    }
    const caddy = summarize(caddyRatios);
    const edge = summarize(edgeRatios);
    log(`Caddy ÷ direct: ${formatSummary(caddy, '')}; edge ÷ direct: ${formatSummary(edge, '')}`);
    return [
      {
        metric: 'Caddy-proxied ÷ direct throughput (keep-alive app, 8 kept-alive clients)',
        now: `${round(caddy.median)}`,
        goal: '≥ 0.8',
        met: caddy.median >= 0.8,
        summary: caddy,
        unit: '',
      },
      {
        metric: 'apps edge → Caddy ÷ direct throughput (what `npm start` serves)',
        now: `${round(edge.median)}`,
        goal: '—',
        met: null,
        summary: edge,
        unit: '',
      },
    ];
  },
};
