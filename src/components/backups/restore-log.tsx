'use client';

import { useSubscription } from '@trpc/tanstack-react-query';
import { useLayoutEffect, useRef, useState } from 'react';
import { useTRPC } from '@/trpc/react';
import type { BackupTarget } from './backup-target';
import { JobStatusBadge } from './job-status-badge';

type Entry = { id: string; level: string; message: string; at: Date; status: string };

const clock = (time: Date) => time.toLocaleTimeString('en-GB', { hour12: false });
const levelTone: Record<string, string> = { error: 'text-red-400', warn: 'text-amber-300' };
const TERMINAL = ['succeeded', 'failed'];

/**
 * The live log of one restore (or drill) over the target's restore-log subscription, until the restore ended;
 * then `onEnd` gets its final status. A reconnect replays the log from the start, so it starts over.
 */
export function RestoreLog({
  target,
  restore,
  onEnd,
}: {
  target: BackupTarget;
  restore: string;
  onEnd: (status: string) => void;
}) {
  const trpc = useTRPC();
  const [entries, setEntries] = useState<Entry[]>([]);
  const [ended, setEnded] = useState<string | null>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const onEndRef = useRef(onEnd);
  onEndRef.current = onEnd;

  const handlers = {
    onStarted: () => setEntries([]),
    onData: (entry: Entry) => {
      setEntries((previous) => (previous.some((e) => e.id === entry.id) ? previous : [...previous, entry]));
      if (entry.id.startsWith('end-') && TERMINAL.includes(entry.status)) {
        setEnded(entry.status);
        onEndRef.current(entry.status);
      }
    },
  };
  const subscription = useSubscription(
    target.kind === 'platform'
      ? trpc.platformBackup.restoreLogs.subscriptionOptions({ restore }, handlers)
      : target.kind === 'deleted'
        ? trpc.backup.deletedRestoreLogs.subscriptionOptions({ project: target.project, restore }, handlers)
        : trpc.backup.restoreLogs.subscriptionOptions(
            { project: target.project, database: target.database, restore },
            handlers,
          ),
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: scroll again whenever lines arrive
  useLayoutEffect(() => {
    const element = scroller.current;
    if (element) element.scrollTop = element.scrollHeight;
  }, [entries]);

  const state = ended
    ? `ended: ${ended}`
    : subscription.status === 'pending'
      ? 'live'
      : subscription.status === 'error'
        ? 'disconnected'
        : 'connecting…';

  return (
    <section aria-label="Restore log" className="flex min-w-0 flex-col gap-2" data-testid="restore-log">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h3 className="text-sm font-semibold">Restore log</h3>
        <p role="status" className="flex items-center gap-2 text-xs text-zinc-600 dark:text-zinc-400">
          {ended ? <JobStatusBadge status={ended} testId="restore-log-result" /> : state}
        </p>
      </div>
      {subscription.status === 'error' && (
        <p role="alert" className="text-xs wrap-anywhere text-red-700 dark:text-red-300">
          {subscription.error.message}
        </p>
      )}
      <div
        ref={scroller}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable log must be reachable by keyboard to scroll it
        tabIndex={0}
        className="max-h-72 min-h-24 overflow-auto rounded-md border border-zinc-800 bg-zinc-950 p-3 font-mono text-xs leading-5 text-zinc-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"
      >
        {entries.length === 0 ? (
          <p className="text-zinc-500">Waiting for the worker…</p>
        ) : (
          <ol>
            {entries.map((entry) => (
              <li key={entry.id} className="break-all whitespace-pre-wrap">
                <time dateTime={entry.at.toISOString()} className="text-zinc-500 select-none">
                  {clock(entry.at)}{' '}
                </time>
                <span className={levelTone[entry.level] ?? 'text-zinc-100'}>{entry.message}</span>
              </li>
            ))}
          </ol>
        )}
      </div>
    </section>
  );
}
