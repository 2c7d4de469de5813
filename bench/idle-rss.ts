import { commandOf, parentOf, pssBytes, type Role, rssBytes } from './lib/stack';
import { formatSummary, round, summarize } from './lib/stats';
import type { Bench } from './lib/types';

const MiB = 1024 * 1024;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resident memory of `npm start`'s processes once idle, from /proc (PostgreSQL and Caddy excluded from the goal). */
export const idleRss: Bench = {
  name: 'idle-rss',
  description: 'idle RSS of the web server + worker, and of the launcher chain of `npm start`',
  async run({ stack: getStack, quick, log }) {
    const stack = await getStack();
    await sleep(quick ? 5_000 : 20_000);
    // Where the memory goes, process by process (PostgreSQL's backends as one line).
    for (const [role, pids] of stack.processes()) {
      if (role === 'postgres') {
        log(`  postgres: ${pids.length} processes`);
        continue;
      }
      for (const pid of pids) {
        const sizes = `RSS ${Math.round(rssBytes(pid) / MiB)} MiB, PSS ${Math.round(pssBytes(pid) / MiB)} MiB`;
        log(`  ${role} ${pid}: ${sizes}  ${commandOf(pid).slice(0, 90)}`);
      }
    }
    const byRole = new Map<Role, number[]>();
    for (let sample = 0; sample < (quick ? 5 : 15); sample++) {
      for (const [role, pids] of stack.processes()) {
        // PostgreSQL's processes share one buffer pool: their RSS would count it once per process.
        const size = role === 'postgres' ? pssBytes : rssBytes;
        const total = pids.reduce((sum, pid) => sum + size(pid), 0) / MiB;
        byRole.set(role, [...(byRole.get(role) ?? []), total]);
      }
      await sleep(1_000);
    }
    const median = (role: Role) => (byRole.has(role) ? summarize(byRole.get(role) as number[]).median : 0);
    const webWorker = (byRole.get('web') ?? []).map(
      (web, index) => web + (byRole.get('worker')?.[index] ?? 0),
    );
    for (const [role, samples] of byRole) log(`${role}: ${formatSummary(summarize(samples), 'MiB')}`);
    const both = summarize(webWorker);
    const launcher = summarize(byRole.get('launcher') ?? [0]);
    // The supervisor alone: the parent of the web server, without npm and shells above it.
    const web = stack.processes().get('web')?.[0];
    const supervisor = web ? parentOf(web) : 0;
    const supervisorMiB = supervisor ? rssBytes(supervisor) / MiB : 0;
    return [
      {
        metric: 'idle RSS, web + worker',
        now: `${round(both.median)} MiB (web ${round(median('web'))}, worker ${round(median('worker'))}; PostgreSQL ${round(median('postgres'))} (PSS), Caddy ${round(median('caddy'))}, registry ${round(median('registry'))} not counted)`,
        goal: '≤ 250 MiB',
        met: both.median <= 250,
        summary: both,
        unit: 'MiB',
      },
      {
        metric: 'idle RSS, launcher chain (`npm start`: npm, sh, the supervisor …)',
        now: `${round(launcher.median)} MiB`,
        goal: '≤ 30 MiB',
        met: launcher.median <= 30,
        summary: launcher,
        unit: 'MiB',
      },
      {
        metric: 'idle RSS, the supervisor process alone (parent of the web server)',
        now: `${round(supervisorMiB)} MiB (${commandOf(supervisor).split(' ').at(-1)})`,
        goal: '—',
        met: null,
      },
    ];
  },
};
