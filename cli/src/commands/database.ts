import { createInterface } from 'node:readline/promises';
import type { inferRouterInputs } from '@trpc/server';
import { z } from 'zod';
import type { AppRouter } from '../../../src/server/api/root';
import {
  DATABASE_ENGINES,
  databaseName,
  envPrefix,
} from '../../../src/server/domains/databases/database.schema';
import { DEFAULT_ENV_PREFIX } from '../../../src/shared/databases/connection-env';
import { authenticatedApi } from '../lib/api';
import { CliError, EXIT } from '../lib/errors';
import { printJson, printTable, say, startSpinner } from '../lib/output';
import { memoryMb, readRiseToml } from '../lib/rise-toml';

export type Common = { url?: string; output: string; project?: string };
export type Inputs = inferRouterInputs<AppRouter>;

export const client = authenticatedApi;
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---- Pure helpers (unit-tested) -------------------------------------------------------------

const kebab = (key: string) => key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);

/**
 * Validates flags with a zod schema; every problem becomes one line naming its flag, exit code 2.
 * `labels` names keys that are not `--flags` (arguments), or '' to print the message alone.
 */
export function parseFlags<S extends z.ZodType>(
  schema: S,
  value: unknown,
  labels: Record<string, string> = {},
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const key = String(issue.path[0] ?? '');
    const label = key in labels ? labels[key] : key ? `--${kebab(key)}` : '';
    return label ? `${label}: ${issue.message}` : issue.message;
  });
  throw new CliError([...new Set(lines)].join('\n'), EXIT.usage);
}

/** 1536 → "1.5 KiB"; null (not known yet) → "-". */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return '-';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${bytes} B`;
  return `${value >= 100 ? Math.round(value) : Number(value.toFixed(1))} ${units[unit]}`;
}

/** 850 → "850 ms", 4200 → "4.2 s", 125000 → "2m 05s", 3720000 → "1h 02m"; null → "-". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '-';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(1))} s`;
  const seconds = Math.round(ms / 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${pad(seconds % 60)}s`;
  return `${Math.floor(seconds / 3600)}h ${pad(Math.floor((seconds % 3600) / 60))}m`;
}

/** "2026-11-22 07:18 UTC", or "-". */
export function formatTime(date: Date | null | undefined): string {
  if (!date) return '-';
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** `--memory 256` (MiB) or with a unit: 512M, 1G. */
const memoryFlag = z
  .string()
  .regex(/^\d+(\.\d+)?\s*(M|Mi|MB|G|Gi|GB)?$/i, { message: 'expected MiB such as 256, or a size like 1G' })
  .transform((value) => (/^\d+$/.test(value) ? Number(value) : memoryMb(value)!))
  .pipe(z.number().int().min(32, { message: 'at least 32 MiB' }).max(1_048_576));

const cpuFlag = z.coerce
  .number({ message: 'expected a number of CPUs such as 0.5' })
  .positive({ message: 'expected a number of CPUs greater than 0, such as 0.5' })
  .max(64, { message: 'at most 64 CPUs' });

export type CreateFlags = {
  engine: string;
  envPrefix?: string;
  /** false with --no-link. */
  link?: boolean;
  cpu?: string;
  memory?: string;
};

/** `rise db create` flags → database.create input (without the project). */
export function createRequest(
  name: string,
  flags: CreateFlags,
): Omit<Inputs['database']['create'], 'project'> {
  if (flags.link === false && flags.envPrefix !== undefined)
    throw new CliError('Use either --env-prefix or --no-link, not both.', EXIT.usage);
  const parsed = parseFlags(
    z.object({
      name: databaseName,
      engine: z.enum(DATABASE_ENGINES, { message: `expected one of ${DATABASE_ENGINES.join(', ')}` }),
      envPrefix: envPrefix.optional(),
      cpu: cpuFlag.optional(),
      memory: memoryFlag.optional(),
    }),
    { name, engine: flags.engine, envPrefix: flags.envPrefix, cpu: flags.cpu, memory: flags.memory },
    { name: '' },
  );
  return {
    name: parsed.name,
    engine: parsed.engine,
    // undefined lets the server pick the engine's default (DATABASE / REDIS).
    envPrefix: flags.link === false ? null : parsed.envPrefix,
    cpuLimit: parsed.cpu,
    memoryLimitMb: parsed.memory,
  };
}

/** The prefix `rise db link` sets: the flag, else the engine's default. */
export function linkPrefix(engine: keyof typeof DEFAULT_ENV_PREFIX, flag: string | undefined): string {
  if (flag === undefined) return DEFAULT_ENV_PREFIX[engine];
  return parseFlags(z.object({ envPrefix }), { envPrefix: flag }).envPrefix;
}

/** What to do about a destructive step: go ahead (--yes), ask on a terminal, or refuse in scripts. */
export function confirmation(yes: boolean | undefined, interactive: boolean): 'proceed' | 'ask' | 'refuse' {
  if (yes) return 'proceed';
  return interactive ? 'ask' : 'refuse';
}

/** "DATABASE_URL, DATABASE_HOST, ..." or a hint that the database is not linked. */
export function describeEnv(database: { name: string; envPrefix: string | null; envKeys: string[] }): string {
  if (!database.envPrefix) return `not linked (rise db link ${database.name})`;
  return database.envKeys.join(', ');
}

// ---- Shared by the db commands ----------------------------------------------------------------

/** --project, else the project of ./.rise.toml. */
export function projectOf(options: { project?: string }): string {
  const project = options.project ?? readRiseToml(process.cwd())?.project;
  if (!project)
    throw new CliError(
      'Name the project with --project <name>, or run this where a .rise.toml names it.',
      EXIT.usage,
    );
  return project;
}

/**
 * Confirms a destructive step: with --yes at once; on a terminal by typing `name`; otherwise it
 * refuses, so scripts must say --yes.
 */
export async function confirmDestructive(name: string, what: string, yes: boolean | undefined) {
  const decision = confirmation(yes, Boolean(process.stdin.isTTY && process.stderr.isTTY));
  if (decision === 'proceed') return;
  if (decision === 'refuse')
    throw new CliError(`Refusing to ${what} without --yes (stdin is not a terminal).`, EXIT.usage);
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    say(`This will ${what}.`);
    const answer = await prompt.question(`Type '${name}' to confirm: `);
    if (answer.trim() !== name) throw new CliError('Not confirmed; nothing changed.', EXIT.failure);
  } finally {
    prompt.close();
  }
}

/** Polls `check` every second until it returns a value, with a spinner; fails after `timeoutSeconds`. */
export async function waitFor<T>(
  text: string,
  timeoutSeconds: number,
  check: () => Promise<T | undefined>,
  onTimeout: string,
): Promise<T> {
  const spinner = startSpinner(text);
  const deadline = Date.now() + timeoutSeconds * 1000;
  try {
    while (Date.now() < deadline) {
      const done = await check();
      if (done !== undefined) return done;
      await sleep(1000);
    }
    throw new CliError(onTimeout, EXIT.failure);
  } finally {
    spinner.stop();
  }
}

const details = (rows: [string, string][]) =>
  process.stdout.write(`${rows.map(([key, value]) => `${`${key}:`.padEnd(19)}${value}`).join('\n')}\n`);

// ---- Commands ----------------------------------------------------------------------------------

export async function createDatabase(
  name: string,
  options: Common & CreateFlags & { wait?: boolean; timeout: number },
) {
  const request = createRequest(name, options);
  const project = projectOf(options);
  const api = client(options);
  let database = await api.database.create.mutate({ project, ...request });
  if (options.wait && database.status !== 'running') {
    database = await waitFor(
      `Starting ${database.engine} database '${database.name}' ...`,
      options.timeout,
      async () => {
        const current = await api.database.get.query({ project, database: database.name });
        return current.status === 'running' || current.status === 'failed' ? current : undefined;
      },
      `Still provisioning after ${options.timeout} s; check it with: rise db show ${database.name}`,
    );
    if (database.status === 'failed') {
      if (options.output === 'json') printJson(database);
      throw new CliError(`Database '${database.name}' failed: ${database.error ?? 'no details'}`);
    }
  }
  if (options.output === 'json') return printJson(database);
  say(
    `Created ${database.engine} database '${database.name}' in '${project}' at ${database.host}:${database.port} (${database.status}).`,
  );
  say(
    database.envPrefix
      ? `The project gets ${describeEnv(database)} — redeploy to apply.`
      : `Not linked to the project; link it with: rise db link ${database.name}`,
  );
}

export async function listDatabases(options: Common) {
  const project = projectOf(options);
  const databases = await client(options).database.list.query({ project });
  if (options.output === 'json') return printJson(databases);
  if (databases.length === 0)
    return say(`No databases in '${project}' yet: rise db create main --engine postgres`);
  printTable(
    [
      { title: 'NAME', width: 16 },
      { title: 'ENGINE', width: 10 },
      { title: 'STATUS', width: 14 },
      { title: 'HOST', width: 24 },
      { title: 'ENV', width: 0 },
    ],
    databases.map((d) => [
      d.name,
      d.engine,
      d.status,
      `${d.host}:${d.port}`,
      d.envPrefix ? `${d.envPrefix}_*` : '-',
    ]),
  );
}

export async function showDatabase(name: string, options: Common) {
  const project = projectOf(options);
  const api = client(options);
  const [database, schedules, backups] = await Promise.all([
    api.database.get.query({ project, database: name }),
    api.backup.schedules.query({ project, database: name }),
    api.backup.list.query({ project, database: name }),
  ]);
  const recent = backups.slice(0, 5);
  if (options.output === 'json') return printJson({ ...database, schedules, backups: recent });
  details([
    ['Database', database.name],
    ['Engine', `${database.engine} (${database.image})`],
    ['Status', database.error ? `${database.status}: ${database.error}` : database.status],
    ['Host', `${database.host}:${database.port}`],
    ['User', database.username],
    ['Database name', database.databaseName],
    ['Env', describeEnv(database)],
    ['CPU', database.cpuLimit === null ? 'default' : String(database.cpuLimit)],
    ['Memory', database.memoryLimitMb === null ? 'default' : `${database.memoryLimitMb} MiB`],
    ['Created', formatTime(database.createdAt)],
  ]);
  process.stdout.write('\nBackup schedules:\n');
  if (schedules.length === 0)
    process.stdout.write(`  none (rise db schedule add ${name} --cron '0 3 * * *')\n`);
  else
    for (const s of schedules)
      process.stdout.write(
        `  ${s.cron}  to ${s.destination}, keep ${s.keepLast ?? 'all'}${s.maxAgeDays ? ` for ${s.maxAgeDays} days` : ''}${s.encrypt ? ', encrypted' : ''}; next ${formatTime(s.nextRunAt)}  (${s.id})\n`,
      );
  process.stdout.write('\nRecent backups:\n');
  if (recent.length === 0) process.stdout.write(`  none (rise db backup ${name})\n`);
  else
    for (const b of recent)
      process.stdout.write(
        `  ${b.id}  ${b.status.padEnd(9)}  ${formatBytes(b.sizeBytes).padEnd(9)}  ${formatTime(b.createdAt)}${b.error ? `  ${b.error.split('\n')[0]}` : ''}\n`,
      );
}

export async function linkDatabase(name: string, options: Common & { envPrefix?: string }) {
  const project = projectOf(options);
  const api = client(options);
  const prefix =
    options.envPrefix === undefined
      ? linkPrefix((await api.database.get.query({ project, database: name })).engine, undefined)
      : linkPrefix('postgres', options.envPrefix);
  const database = await api.database.link.mutate({ project, database: name, envPrefix: prefix });
  if (options.output === 'json') return printJson(database);
  say(`Linked '${database.name}' to '${project}': ${describeEnv(database)} — redeploy to apply.`);
}

export async function unlinkDatabase(name: string, options: Common) {
  const project = projectOf(options);
  const database = await client(options).database.link.mutate({ project, database: name, envPrefix: null });
  if (options.output === 'json') return printJson(database);
  say(`Unlinked '${database.name}' from '${project}'; its env vars go away at the next deployment.`);
}

export async function databaseUrl(name: string, options: Common) {
  const project = projectOf(options);
  const { url } = await client(options).database.reveal.mutate({ project, database: name });
  if (options.output === 'json') return printJson({ url });
  process.stdout.write(`${url}\n`);
}

export async function deleteDatabase(name: string, options: Common & { yes?: boolean }) {
  const project = projectOf(options);
  await confirmDestructive(name, `delete database '${name}' of '${project}' and all its data`, options.yes);
  const result = await client(options).database.delete.mutate({ project, database: name });
  if (options.output === 'json') return printJson(result);
  say(
    `Deleted database '${result.name}'; its container and data are being removed. Redeploy '${project}' if it was linked.`,
  );
}
