import { z } from 'zod';
import {
  type BackupView,
  cronExpression,
  type DrillReport,
  destinationName,
} from '../../../src/server/domains/backups/backup.schema';
import { databaseName } from '../../../src/server/domains/databases/database.schema';
import { CliError, EXIT } from '../lib/errors';
import { printJson, printTable, say } from '../lib/output';
import { collectPages } from '../lib/pages';
import {
  type Common,
  client,
  confirmDestructive,
  formatBytes,
  formatDuration,
  formatTime,
  type Inputs,
  parseFlags,
  projectOf,
  waitFor,
} from './database';

type DatabaseScoped = 'project' | 'database';

// ---- Pure helpers (unit-tested) -------------------------------------------------------------

/** `rise db restore` flags → backup.restore input: in place by default, --into a new database, or --drill. */
export function restoreRequest(
  database: string,
  backup: string,
  flags: { into?: string; drill?: boolean },
): Omit<Inputs['backup']['restore'], 'project'> {
  if (flags.into !== undefined && flags.drill)
    throw new CliError(
      'Use either --into (restore into a new database) or --drill (verify in a scratch copy), not both.',
      EXIT.usage,
    );
  if (flags.drill) return { database, backup, mode: 'drill' };
  if (flags.into === undefined) return { database, backup, mode: 'in_place' };
  const { into } = parseFlags(z.object({ into: databaseName }), { into: flags.into });
  if (into === database)
    throw new CliError(
      `--into names a new database; to restore '${database}' itself, omit --into.`,
      EXIT.usage,
    );
  return { database, backup, mode: 'new_database', into };
}

/** `rise db restore-deleted --into` → backup.restoreDeleted input: always into a new database. */
export function restoreDeletedRequest(
  backup: string,
  flags: { into?: string },
): Omit<Inputs['backup']['restoreDeleted'], 'project'> {
  if (flags.into === undefined)
    throw new CliError('Name the new database to restore into: --into <new-db-name>.', EXIT.usage);
  const { into } = parseFlags(z.object({ into: databaseName }), { into: flags.into });
  return { backup, into };
}

const count = (max: number, what: string) =>
  z.coerce
    .number({ message: `expected a whole number of ${what}` })
    .int({ message: `expected a whole number of ${what}` })
    .min(1, { message: `expected at least 1 ${what.replace(/s$/, '')}` })
    .max(max, { message: `at most ${max} ${what}` });

export type ScheduleFlags = {
  cron: string;
  destination?: string;
  keep?: string;
  maxAgeDays?: string;
  encrypt?: boolean;
};

/** `rise db schedule add` flags → backup.addSchedule input; `--keep all` keeps any number (by age only). */
export function scheduleRequest(flags: ScheduleFlags): Omit<Inputs['backup']['addSchedule'], DatabaseScoped> {
  const parsed = parseFlags(
    z.object({
      cron: cronExpression,
      destination: destinationName.optional(),
      keep: z
        .union([z.literal('all'), count(1000, 'backups')], {
          message: "expected a whole number of backups from 1 to 1000, or 'all'",
        })
        .optional(),
      maxAgeDays: count(3650, 'days').optional(),
      encrypt: z.boolean().optional(),
    }),
    flags,
  );
  if (parsed.keep === 'all' && parsed.maxAgeDays === undefined)
    throw new CliError(
      '--keep all without --max-age-days would keep every backup forever; add --max-age-days <n>.',
      EXIT.usage,
    );
  return {
    cron: parsed.cron,
    destination: parsed.destination,
    keepLast: parsed.keep === 'all' ? null : parsed.keep,
    maxAgeDays: parsed.maxAgeDays ?? null,
    encrypt: parsed.encrypt ?? false,
  };
}

/** The backup history table: one row per backup, the first line of the error for failed ones. */
export function backupTable(backups: BackupView[]): {
  columns: { title: string; width: number }[];
  rows: string[][];
} {
  const failed = backups.some((b) => b.error);
  const columns = [
    { title: 'ID', width: 28 },
    { title: 'STATUS', width: 11 },
    { title: 'TRIGGER', width: 10 },
    { title: 'SIZE', width: 11 },
    { title: 'DURATION', width: 10 },
    { title: 'DESTINATION', width: 13 },
    { title: 'CREATED', width: failed ? 22 : 0 },
    ...(failed ? [{ title: 'ERROR', width: 0 }] : []),
  ];
  const rows = backups.map((b) => [
    b.id,
    b.status,
    b.trigger,
    `${formatBytes(b.sizeBytes)}${b.encrypted ? ' (enc)' : ''}`,
    formatDuration(b.durationMs),
    b.destination,
    formatTime(b.createdAt),
    ...(failed ? [b.error?.split('\n')[0] ?? ''] : []),
  ]);
  return { columns, rows };
}

/** Backups of deleted databases: the backup history table with the DATABASE each was of after ID. */
export function deletedBackupTable(backups: BackupView[]): {
  columns: { title: string; width: number }[];
  rows: string[][];
} {
  const { columns, rows } = backupTable(backups);
  return {
    columns: [columns[0]!, { title: 'DATABASE', width: 12 }, ...columns.slice(1)],
    rows: rows.map((row, index) => [row[0]!, backups[index]?.database ?? '-', ...row.slice(1)]),
  };
}

/** The drill report rows (TABLE EXPECTED RESTORED) and the names of the tables that differ. */
export function drillTable(report: DrillReport): { rows: string[][]; mismatched: string[] } {
  const show = (value: number | null) => (value === null ? '-' : String(value));
  return {
    rows: report.tables.map((t) => [t.table, show(t.expected), show(t.restored)]),
    mismatched: report.tables.filter((t) => t.expected !== t.restored).map((t) => t.table),
  };
}

/** One line of a restore's log as printed: time, level unless info, message. */
export function restoreLogLine(entry: { at: Date; level: string; message: string }): string {
  const level = entry.level === 'info' ? '' : `${entry.level.toUpperCase()} `;
  return `${entry.at.toISOString().slice(11, 19)} ${level}${entry.message}`;
}

// ---- Commands ----------------------------------------------------------------------------------

export async function runBackup(
  name: string,
  options: Common & { destination?: string; encrypt?: boolean; wait?: boolean; timeout: number },
) {
  const { destination } = parseFlags(z.object({ destination: destinationName.optional() }), options);
  const project = projectOf(options);
  const api = client(options);
  let backup = await api.backup.run.mutate({
    project,
    database: name,
    destination,
    encrypt: options.encrypt ?? false,
  });
  if (!options.wait) {
    if (options.output === 'json') return printJson(backup);
    return say(
      `Queued backup ${backup.id} of '${name}' to ${backup.destination}. Follow it: rise db backups ${name}`,
    );
  }
  backup = await waitFor(
    `Backing up '${name}' to ${backup.destination} ...`,
    options.timeout,
    async () => {
      const current = await api.backup.get.query({ project, database: name, backup: backup.id });
      return current.status === 'succeeded' || current.status === 'failed' ? current : undefined;
    },
    `Still backing up after ${options.timeout} s; check it with: rise db backups ${name}`,
  );
  if (options.output === 'json') printJson(backup);
  if (backup.status === 'failed')
    throw new CliError(`Backup ${backup.id} of '${name}' failed: ${backup.error ?? 'no details'}`);
  if (options.output !== 'json')
    say(
      `Backup ${backup.id} of '${name}' succeeded: ${formatBytes(backup.sizeBytes)}${backup.encrypted ? ' (encrypted)' : ''} in ${formatDuration(backup.durationMs)}, stored at ${backup.destination}.`,
    );
}

export async function listBackups(name: string, options: Common & { limit?: number }) {
  const project = projectOf(options);
  const api = client(options);
  const backups = await collectPages(
    (page) => api.backup.list.query({ project, database: name, ...page }),
    (backup) => backup.id,
    options.limit,
  );
  if (options.output === 'json') return printJson(backups);
  if (backups.length === 0) return say(`No backups of '${name}' yet: rise db backup ${name}`);
  const { columns, rows } = backupTable(backups);
  printTable(columns, rows);
}

export async function restoreDatabase(
  name: string,
  backupId: string,
  options: Common & { into?: string; drill?: boolean; yes?: boolean },
) {
  const request = restoreRequest(name, backupId, options);
  const project = projectOf(options);
  if (request.mode === 'in_place')
    await confirmDestructive(
      name,
      `replace all data of database '${name}' with backup ${backupId}`,
      options.yes,
    );
  const api = client(options);
  const restore = await api.backup.restore.mutate({ project, ...request });
  say(
    request.mode === 'drill'
      ? `Drilling backup ${backupId} into a scratch copy (restore ${restore.id}) ...`
      : `Restoring backup ${backupId} into '${restore.targetDatabase ?? request.into ?? name}' (restore ${restore.id}) ...`,
  );
  await followRestore(
    (handlers) =>
      api.backup.restoreLogs.subscribe({ project, database: name, restore: restore.id }, handlers),
    restore.id,
    `rise db show ${name}`,
    options.output !== 'json',
  );
  const final = (await api.backup.restores.query({ project, database: name })).find(
    (r) => r.id === restore.id,
  );
  if (!final) throw new CliError(`Restore ${restore.id} is gone.`, EXIT.notFound);
  if (options.output === 'json') printJson(final);
  else if (final.report) {
    const { rows } = drillTable(final.report);
    printTable(
      [
        { title: 'TABLE', width: 32 },
        { title: 'EXPECTED', width: 12 },
        { title: 'RESTORED', width: 0 },
      ],
      rows,
    );
  }
  if (final.status === 'failed' || final.report?.passed === false) {
    const mismatched = final.report ? drillTable(final.report).mismatched : [];
    throw new CliError(
      `${final.mode === 'drill' ? 'Drill' : 'Restore'} ${final.id} failed: ${final.error ?? (mismatched.length ? `row counts differ in ${mismatched.join(', ')}` : 'see the log above')}`,
    );
  }
  if (options.output === 'json') return;
  if (final.mode === 'drill') say(`Drill passed: backup ${backupId} restores and its row counts match.`);
  else if (final.mode === 'new_database')
    say(
      `Restored into new database '${final.targetDatabase}' (not linked; to use it: rise db link ${final.targetDatabase}).`,
    );
  else say(`Restored '${name}' from backup ${backupId}.`);
}

type LogHandlers = {
  onData: (entry: { id: string; at: Date; level: string; message: string }) => void;
  onError: (error: unknown) => void;
  onComplete: () => void;
  onStopped: () => void;
};

/**
 * Streams a restore's log lines from `subscribe` (one of the restore-log subscriptions) until it ends,
 * to stderr so stdout stays for data; `showCommand` is where to look at the restore after Ctrl-C.
 */
function followRestore(
  subscribe: (handlers: LogHandlers) => { unsubscribe: () => void },
  restoreId: string,
  showCommand: string,
  print: boolean,
): Promise<void> {
  const seen = new Set<string>();
  return new Promise<void>((resolve, reject) => {
    const subscription = subscribe({
      onData: (entry) => {
        // A reconnect replays the log from the start; print each line once.
        if (seen.has(entry.id)) return;
        seen.add(entry.id);
        if (print) say(restoreLogLine(entry));
      },
      onError: (error) => finish(error),
      onComplete: () => finish(),
      onStopped: () => finish(),
    });
    const interrupt = () => {
      subscription.unsubscribe();
      finish(
        new CliError(`Stopped following; restore ${restoreId} goes on. See it with: ${showCommand}`, 130),
      );
    };
    function finish(error?: unknown) {
      process.off('SIGINT', interrupt);
      if (error) reject(error);
      else resolve();
    }
    process.once('SIGINT', interrupt);
  });
}

export async function listDeletedBackups(options: Common & { limit?: number }) {
  const project = projectOf(options);
  const api = client(options);
  const backups = await collectPages(
    (page) => api.backup.deleted.query({ project, ...page }),
    (backup) => backup.id,
    options.limit,
  );
  if (options.output === 'json') return printJson(backups);
  if (backups.length === 0) return say(`No backups of deleted databases in '${project}'.`);
  const { columns, rows } = deletedBackupTable(backups);
  printTable(columns, rows);
}

export async function restoreDeletedDatabase(backupId: string, options: Common & { into?: string }) {
  const request = restoreDeletedRequest(backupId, options);
  const project = projectOf(options);
  const api = client(options);
  const restore = await api.backup.restoreDeleted.mutate({ project, ...request });
  say(
    `Restoring backup ${backupId} into new database '${restore.targetDatabase ?? request.into}' (restore ${restore.id}) ...`,
  );
  await followRestore(
    (handlers) => api.backup.deletedRestoreLogs.subscribe({ project, restore: restore.id }, handlers),
    restore.id,
    'rise db deleted',
    options.output !== 'json',
  );
  const final = (await api.backup.deletedRestores.query({ project })).find((r) => r.id === restore.id);
  if (!final) throw new CliError(`Restore ${restore.id} is gone.`, EXIT.notFound);
  if (options.output === 'json') printJson(final);
  if (final.status === 'failed')
    throw new CliError(`Restore ${final.id} failed: ${final.error ?? 'see the log above'}`);
  if (options.output === 'json') return;
  say(
    `Restored into new database '${final.targetDatabase}' (not linked; to use it: rise db link ${final.targetDatabase}).`,
  );
}

export async function addSchedule(name: string, options: Common & ScheduleFlags) {
  const request = scheduleRequest(options);
  const project = projectOf(options);
  const schedule = await client(options).backup.addSchedule.mutate({ project, database: name, ...request });
  if (options.output === 'json') return printJson(schedule);
  const retention = [
    schedule.keepLast === null ? null : `keeping the last ${schedule.keepLast}`,
    schedule.maxAgeDays === null ? null : `for at most ${schedule.maxAgeDays} days`,
  ]
    .filter(Boolean)
    .join(' ');
  say(
    `Backing up '${name}' at '${schedule.cron}' (UTC) to ${schedule.destination}${schedule.encrypt ? ', encrypted' : ''}, ${retention}. Next run: ${formatTime(schedule.nextRunAt)}. (schedule ${schedule.id})`,
  );
}

export async function listSchedules(name: string, options: Common) {
  const project = projectOf(options);
  const schedules = await client(options).backup.schedules.query({ project, database: name });
  if (options.output === 'json') return printJson(schedules);
  if (schedules.length === 0)
    return say(`No backup schedules for '${name}': rise db schedule add ${name} --cron '0 3 * * *'`);
  printTable(
    [
      { title: 'ID', width: 28 },
      { title: 'CRON', width: 16 },
      { title: 'DESTINATION', width: 13 },
      { title: 'KEEP', width: 6 },
      { title: 'MAX-AGE', width: 9 },
      { title: 'NEXT RUN', width: 0 },
    ],
    schedules.map((s) => [
      s.id,
      s.cron,
      `${s.destination}${s.encrypt ? ' (enc)' : ''}`,
      s.keepLast === null ? 'all' : String(s.keepLast),
      s.maxAgeDays === null ? '-' : `${s.maxAgeDays}d`,
      s.enabled ? formatTime(s.nextRunAt) : 'disabled',
    ]),
  );
}

export async function removeSchedule(name: string, scheduleId: string, options: Common) {
  const project = projectOf(options);
  const result = await client(options).backup.removeSchedule.mutate({
    project,
    database: name,
    schedule: scheduleId,
  });
  if (options.output === 'json') return printJson(result);
  say(`Removed backup schedule ${result.id} of '${name}'; its backups stay.`);
}
