import { appImage } from './lib/app-image';
import { createProject, deploy, waitFinished } from './lib/deployments';
import { cpuTicks } from './lib/stack';
import { formatSummary, round, summarize } from './lib/stats';
import type { Bench } from './lib/types';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Handler = {
  handler?: string;
  upstreams?: unknown[];
  health_checks?: { active?: unknown };
  routes?: unknown;
};

/** Upstreams of every reverse_proxy with active health checks in Caddy's config. */
function activelyCheckedUpstreams(node: unknown): number {
  if (Array.isArray(node)) return node.reduce((sum: number, item) => sum + activelyCheckedUpstreams(item), 0);
  if (!node || typeof node !== 'object') return 0;
  const handler = node as Handler;
  const own =
    handler.handler === 'reverse_proxy' && handler.health_checks?.active
      ? (handler.upstreams?.length ?? 0)
      : 0;
  return own + Object.values(node).reduce((sum: number, value) => sum + activelyCheckedUpstreams(value), 0);
}

/** Caddy's CPU while N deployed projects sit idle, and how many upstreams it health-checks per instance. */
export const caddyIdleCpu: Bench = {
  name: 'caddy-idle-cpu',
  description: 'Caddy idle CPU with N idle projects, and health-checked upstreams per running instance',
  async run({ stack: getStack, quick, log }) {
    const stack = await getStack();
    const wanted = quick ? 5 : 20;
    const running = async () =>
      (await stack.docker.listContainers({ filters: { label: [`dev.rise.managed-by=${stack.instanceId}`] } }))
        .length;
    const missing = Math.max(0, wanted - (await running()));
    const projects = Array.from({ length: missing }, (_, index) => `ic-${stack.runId}-${index}`);
    for (const project of projects) await createProject(stack, project);
    const queued = await Promise.all(
      projects.map(async (project) =>
        deploy(stack, project, await appImage(stack.docker, project, `idle ${project}`, stack.images)),
      ),
    );
    await Promise.all(queued.map(({ id }) => waitFinished(stack, id, 300_000)));
    await sleep(5_000);
    const instances = await running();
    const caddyPid = stack.processes().get('caddy')?.[0];
    if (!caddyPid) throw new Error('no Caddy process under npm start');
    const windowMs = quick ? 5_000 : 10_000;
    const samples: number[] = [];
    for (let window = 0; window < (quick ? 3 : 6); window++) {
      const before = cpuTicks(caddyPid);
      const from = Date.now();
      await sleep(windowMs);
      // Clock ticks are 1/100 s: ticks per second of wall time = percent of one core.
      samples.push(((cpuTicks(caddyPid) - before) * 1000) / (Date.now() - from));
    }
    const cpu = summarize(samples);
    const config = await (await fetch(`${stack.caddyAdminUrl}/config/apps/http/servers`)).json();
    const checked = activelyCheckedUpstreams(config);
    log(`Caddy CPU with ${instances} running instances: ${formatSummary(cpu, '% of a core')}`);
    log(`actively health-checked upstreams: ${checked} for ${instances} running instances`);
    return [
      {
        metric: `Caddy idle CPU with ${instances} idle projects`,
        now: `${round(cpu.median)} % of one core`,
        goal: '—',
        met: null,
        summary: cpu,
        unit: '%',
      },
      {
        metric: 'Caddy active health checks per running instance',
        now: `${round(checked / Math.max(1, instances))} (${checked} upstreams checked, ${instances} instances run)`,
        goal: '≤ 1: checks only where an instance runs',
        met: checked <= instances,
      },
    ];
  },
};
