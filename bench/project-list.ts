import { createProject } from './lib/deployments';
import { formatSummary, round, summarize } from './lib/stats';
import type { Bench } from './lib/types';

const PROJECTS = 1_000;
const CREATORS = 4;

/**
 * `project.list` over tRPC HTTP as the dashboard calls it (session cookie, default input: its first
 * page once there are pages) with 1,000 projects: time and bytes of each call.
 */
export const projectList: Bench = {
  name: 'project-list',
  description: '`project.list` at 1,000 projects: p50/p95 and bytes per call',
  async run({ stack: getStack, quick, log }) {
    const stack = await getStack();
    const { rows } = await stack.db.query('SELECT count(*)::int AS n FROM projects');
    const missing = Math.max(0, PROJECTS - (rows[0]?.n as number));
    log(`creating ${missing} projects through the API`);
    let next = 0;
    await Promise.all(
      Array.from({ length: CREATORS }, async () => {
        while (next < missing) await createProject(stack, `pl-${stack.runId}-${next++}`);
      }),
    );
    const url = `${stack.webUrl}/api/trpc/project.list?input=${encodeURIComponent(JSON.stringify({ json: {} }))}`;
    const call = async () => {
      const started = performance.now();
      const response = await fetch(url, { headers: { cookie: stack.cookie } });
      const body = await response.arrayBuffer();
      const ms = performance.now() - started;
      if (!response.ok) throw new Error(`project.list answered ${response.status}`);
      return { ms, bytes: body.byteLength, body };
    };
    for (let warm = 0; warm < 3; warm++) await call();
    const times: number[] = [];
    const sizes: number[] = [];
    let items = 0;
    for (let index = 0; index < (quick ? 30 : 200); index++) {
      const { ms, bytes, body } = await call();
      times.push(ms);
      sizes.push(bytes);
      if (index === 0) {
        const data = JSON.parse(new TextDecoder().decode(body)).result?.data?.json;
        items = Array.isArray(data) ? data.length : Array.isArray(data?.items) ? data.items.length : 0;
      }
    }
    const summary = summarize(times);
    const kb = summarize(sizes).median / 1000;
    log(`${formatSummary(summary, 'ms')}; ${round(kb)} KB per call, ${items} projects in it`);
    return [
      {
        metric: '`project.list` at 1,000 projects',
        now: `p50 ${round(summary.median)} ms, p95 ${round(summary.p95)} ms, ${round(kb)} KB per call (${items} projects per call)`,
        goal: 'p95 ≤ 50 ms per page',
        met: summary.p95 <= 50,
        summary,
        unit: 'ms',
      },
    ];
  },
};
