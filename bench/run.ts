/**
 * `npm run bench [-- <name> ...] [--quick]`: runs the benchmarks of issue 15 against one real `npm start`
 * and writes bench/results/{results.md,results.json,deploy-timeline.svg}. A run of some benches keeps
 * the other benches' last results in the table. Benchmarks, not tests: nothing here fails on a number.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { caddyIdleCpu } from './caddy-idle-cpu';
import { concurrentDeploys } from './concurrent-deploys';
import { deployFirst200 } from './deploy-first-200';
import { gitDeploys } from './git-deploys';
import { idleRss } from './idle-rss';
import { jobPickup } from './job-pickup';
import { resultsTable } from './lib/results-table';
import { type Stack, startStack } from './lib/stack';
import { formatSummary, loadAverage } from './lib/stats';
import { timelineSvg } from './lib/timeline-svg';
import {
  type Bench,
  type BenchContext,
  CHARTS,
  type ChartName,
  type DeployTimeline,
  type MetricResult,
} from './lib/types';
import { projectList } from './project-list';
import { proxyThroughput } from './proxy-throughput';
import { redeployGets } from './redeploy-gets';
import { redeployNewVersion } from './redeploy-new-version';
import { redeployPosts } from './redeploy-posts';

/** In the order of the issue's table; idle RSS first (nothing deployed yet), 1,000 projects last. */
const BENCHES: Bench[] = [
  idleRss,
  jobPickup,
  deployFirst200,
  redeployNewVersion,
  concurrentDeploys,
  redeployGets,
  redeployPosts,
  proxyThroughput,
  caddyIdleCpu,
  gitDeploys,
  projectList,
];
const names = BENCHES.map((bench) => bench.name) as [string, ...string[]];

const RESULTS_DIR = path.join(import.meta.dirname, 'results');
const storedResults = z.object({
  benches: z.array(
    z.object({
      name: z.string(),
      at: z.string(),
      commit: z.string().optional(),
      loadAverage: z.string(),
      results: z.array(z.any()),
    }),
  ),
});
type StoredResults = z.infer<typeof storedResults>;

const argsSchema = z.object({
  quick: z.boolean(),
  list: z.boolean(),
  start: z.array(z.string().min(1)).min(1, '--start= needs a command, e.g. --start="node dist/start.mjs"'),
  selected: z.array(
    z.enum(names, {
      error: (issue) => `unknown bench "${String(issue.input)}"; one of: ${names.join(', ')}`,
    }),
  ),
});

function parseArgs(argv: string[]) {
  const flags = argv.filter((arg) => arg.startsWith('-'));
  const unknown = flags.filter(
    (flag) => !['--quick', '--list'].includes(flag) && !flag.startsWith('--start='),
  );
  if (unknown.length) {
    throw new Error(`unknown option ${unknown.join(', ')}; options: --quick, --list, --start=<command>`);
  }
  const start = flags.findLast((flag) => flag.startsWith('--start='));
  const parsed = argsSchema.safeParse({
    quick: flags.includes('--quick'),
    list: flags.includes('--list'),
    // How Rise is started (default `npm start`), split on spaces and run without a shell.
    start:
      start === undefined ? ['npm', 'start'] : start.slice('--start='.length).split(/\s+/).filter(Boolean),
    selected: argv.filter((arg) => !arg.startsWith('-')),
  });
  if (!parsed.success) throw new Error(parsed.error.issues.map((issue) => issue.message).join('\n'));
  return parsed.data;
}

function readStored(): StoredResults {
  const file = path.join(RESULTS_DIR, 'results.json');
  if (!existsSync(file)) return { benches: [] };
  const parsed = storedResults.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  return parsed.success ? parsed.data : { benches: [] };
}

async function main() {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`bench: ${(error as Error).message}`);
    process.exit(2);
  }
  if (args.list) {
    for (const bench of BENCHES) console.log(`${bench.name.padEnd(22)} ${bench.description}`);
    return;
  }
  const selected = args.selected.length
    ? BENCHES.filter((bench) => args.selected.includes(bench.name))
    : BENCHES;
  const say = (line: string) => console.log(`[bench] ${line}`);
  let stack: Promise<Stack> | null = null;
  const charts = new Map<ChartName, DeployTimeline[]>();
  const stopStack = async () => {
    if (!stack) return;
    const running = await stack.catch(() => null);
    stack = null;
    say('stopping Rise and removing what the benches created');
    await running?.stop();
  };
  // Interrupted: the bench still running sees its Rise go away; nothing of it is recorded.
  let interrupted = false;
  const interrupt = (code: number) => {
    interrupted = true;
    say('interrupted: results are not written');
    void stopStack().finally(() => process.exit(code));
  };
  process.once('SIGINT', () => interrupt(130));
  process.once('SIGTERM', () => interrupt(143));

  const stored = readStored();
  const commit = currentCommit();
  try {
    for (const bench of selected) {
      if (interrupted) break;
      const log = (line: string) => console.log(`[${bench.name}] ${line}`);
      const context: BenchContext = {
        stack: () => (stack ??= startStack(say, args.start)),
        quick: args.quick,
        log,
        chart: (name, timeline) => charts.set(name, [...(charts.get(name) ?? []), timeline]),
      };
      if (bench !== selected[0] || stack) log(`load average ${loadAverage()}`);
      const started = Date.now();
      let results: MetricResult[];
      try {
        results = await bench.run(context);
      } catch (error) {
        log(`failed: ${(error as Error).stack ?? String(error)}`);
        results = [
          {
            metric: bench.description,
            now: `bench failed: ${(error as Error).message.split('\n')[0]}`,
            goal: '—',
            met: false,
          },
        ];
      }
      const load = loadAverage();
      for (const result of results) {
        const summary = result.summary ? ` [${formatSummary(result.summary, result.unit ?? '')}]` : '';
        log(`${result.metric}: ${result.now} (goal ${result.goal})${summary}`);
      }
      log(`done in ${Math.round((Date.now() - started) / 1000)} s; load average ${load}`);
      stored.benches = [
        ...stored.benches.filter((entry) => entry.name !== bench.name),
        { name: bench.name, at: new Date().toISOString(), commit, loadAverage: load, results },
      ];
      if (!interrupted) writeResults(stored, charts, args.quick);
    }
  } finally {
    await stopStack();
  }
  if (!interrupted) console.log(`\n${readFileSync(path.join(RESULTS_DIR, 'results.md'), 'utf8')}`);
}

/** The checked-out commit (with `+changes` when the tree differs from it), or undefined outside git. */
function currentCommit(): string | undefined {
  try {
    const run = (args: string[]) =>
      execFileSync('git', args, { cwd: import.meta.dirname, encoding: 'utf8' }).trim();
    const changed = run(['status', '--porcelain', '--untracked-files=no', '--', '.', ':!results']) !== '';
    return `${run(['rev-parse', '--short', 'HEAD'])}${changed ? '+changes' : ''}`;
  } catch {
    return undefined;
  }
}

function writeResults(stored: StoredResults, charts: Map<ChartName, DeployTimeline[]>, quick: boolean) {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const ordered = BENCHES.flatMap((bench) => stored.benches.filter((entry) => entry.name === bench.name));
  writeFileSync(path.join(RESULTS_DIR, 'results.json'), `${JSON.stringify({ benches: ordered }, null, 2)}\n`);
  const newest =
    ordered
      .map((entry) => entry.at)
      .sort()
      .at(-1) ?? new Date().toISOString();
  const commits = [...new Set(ordered.flatMap((entry) => (entry.commit ? [entry.commit] : [])))];
  const table = resultsTable(
    ordered.flatMap((entry) => entry.results as MetricResult[]),
    {
      date: `${newest.slice(0, 16).replace('T', ' ')} UTC${quick ? ' (--quick)' : ''}${commits.length ? ` at ${commits.join(', ')}` : ''}`,
      loadAverage: loadAverage(),
    },
  );
  writeFileSync(path.join(RESULTS_DIR, 'results.md'), table);
  for (const [name, timelines] of charts) {
    writeFileSync(path.join(RESULTS_DIR, `${name}.svg`), timelineSvg(timelines, CHARTS[name]));
  }
}

await main();
