'use client';

import { skipToken } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { z } from 'zod';
import { Button } from '@/components/ui/button';
import type { deploymentLogEntry } from '@/server/domains/deployments/deployment.schema';
import { errorMessage } from '@/trpc/error-message';
import { useTRPC } from '@/trpc/react';

type LogEntry = z.infer<typeof deploymentLogEntry>;
type Line = { key: number; entry: LogEntry };

/** Lines kept in the browser; older ones are dropped (the CLI shows everything). */
const MAX_LINES = 2000;
/** Lines arriving together are rendered together, not one render per line. */
const FLUSH_MS = 50;
/** API errors in a row after which the stream stops retrying and offers a Retry button. */
const MAX_FAILURES = 3;

const clock = (time: Date) => time.toLocaleTimeString('en-GB', { hour12: false });

const levelTone: Record<string, string> = {
  error: 'text-red-400',
  warn: 'text-amber-300',
};

function LogLine({ entry }: { entry: LogEntry }) {
  if (entry.type === 'status') {
    return <span className="text-sky-300 italic">→ status: {entry.status}</span>;
  }
  if (entry.type === 'event') {
    return (
      <>
        <time dateTime={entry.time.toISOString()} className="text-zinc-500 select-none">
          {clock(entry.time)}{' '}
        </time>
        <span className={levelTone[entry.level] ?? 'text-zinc-100'}>{entry.message}</span>
      </>
    );
  }
  return (
    <>
      {entry.time && (
        <time dateTime={entry.time.toISOString()} className="text-zinc-500 select-none">
          {clock(entry.time)}{' '}
        </time>
      )}
      <span className={entry.stream === 'stderr' ? 'text-amber-200' : 'text-zinc-100'}>{entry.line}</span>
    </>
  );
}

/**
 * One live log of a deployment (`events` or `runtime`) over the logs subscription: keeps the newest
 * lines, sticks to the bottom unless the user scrolled up, and says whether it is connected.
 */
export function LogStream({
  project,
  deployment,
  source,
  label,
  emptyText,
  heightClass,
}: {
  project: string;
  deployment: string;
  source: 'events' | 'runtime';
  label: string;
  emptyText: string;
  heightClass: string;
}) {
  const trpc = useTRPC();
  const [lines, setLines] = useState<Line[]>([]);
  const [received, setReceived] = useState(0);
  const [started, setStarted] = useState(false);
  // Errors the API reported (not mere disconnects), counted to stop retrying a log that cannot be read.
  const [failures, setFailures] = useState(0);
  const [problem, setProblem] = useState<string | null>(null);
  const gaveUp = failures >= MAX_FAILURES;
  const nextKey = useRef(0);
  const pending = useRef<Line[]>([]);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const stickToBottom = useRef(true);

  const flush = useCallback(() => {
    timer.current = null;
    const incoming = pending.current;
    pending.current = [];
    if (incoming.length === 0) return;
    setReceived((count) => count + incoming.length);
    setLines((previous) => {
      const next = previous.concat(incoming);
      return next.length > MAX_LINES ? next.slice(next.length - MAX_LINES) : next;
    });
  }, []);

  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  const subscription = useSubscription(
    trpc.deployment.logs.subscriptionOptions(
      gaveUp ? skipToken : { project, deployment, source, follow: true, tail: 200 },
      {
        onStarted: () => {
          // A (re)connection replays from the start (events) or the last 200 lines (runtime): start over.
          pending.current = [];
          setLines([]);
          setReceived(0);
          setStarted(true);
        },
        onData: (entry) => {
          setFailures(0);
          setProblem(null);
          pending.current.push({ key: nextKey.current++, entry });
          timer.current ??= setTimeout(flush, FLUSH_MS);
        },
        onConnectionStateChange: (state) => {
          // A reconnect after an error the API sent; a bare network drop has no `data` and just retries.
          if (state.state === 'connecting' && state.error?.data) {
            setProblem(state.error.message);
            setFailures((count) => count + 1);
          }
        },
        onError: (error) => setProblem(error.message),
      },
    ),
  );

  // biome-ignore lint/correctness/useExhaustiveDependencies: scroll again whenever lines arrive
  useLayoutEffect(() => {
    const element = scroller.current;
    if (element && stickToBottom.current) element.scrollTop = element.scrollHeight;
  }, [lines]);

  const onScroll = () => {
    const element = scroller.current;
    if (!element) return;
    stickToBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < 24;
  };

  const dropped = received - lines.length;
  const retry = () => {
    setProblem(null);
    setFailures(0);
    if (subscription.status === 'error') subscription.reset();
  };
  const state = gaveUp
    ? { text: 'stopped', tone: 'bg-red-500' }
    : subscription.status === 'pending'
      ? { text: 'live', tone: 'bg-emerald-500' }
      : subscription.status === 'connecting'
        ? { text: started ? 'reconnecting…' : 'connecting…', tone: 'bg-amber-400' }
        : subscription.status === 'error'
          ? { text: 'disconnected', tone: 'bg-red-500' }
          : { text: started ? 'ended' : 'idle', tone: 'bg-zinc-400' };
  const connectionError =
    problem ?? (subscription.status === 'error' ? errorMessage(subscription.error) : null);
  const canRetry = gaveUp || subscription.status === 'error';

  return (
    <section aria-label={label} className="flex min-w-0 flex-col gap-2">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h3 className="text-sm font-semibold">{label}</h3>
        <p role="status" className="flex items-center gap-1.5 text-xs text-zinc-600 dark:text-zinc-400">
          <span aria-hidden="true" className={`inline-block size-2 rounded-full ${state.tone}`} />
          {state.text}
        </p>
      </div>
      {connectionError && (
        <div className="flex flex-wrap items-center gap-2">
          <p role="alert" className="text-xs wrap-anywhere text-red-700 dark:text-red-300">
            {canRetry ? connectionError : `${connectionError} (retrying)`}
          </p>
          {canRetry && (
            <Button small onClick={retry}>
              Retry
            </Button>
          )}
        </div>
      )}
      <div
        ref={scroller}
        onScroll={onScroll}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable log must be reachable by keyboard to scroll it
        tabIndex={0}
        className={`${heightClass} overflow-auto rounded-md border border-zinc-800 bg-zinc-950 p-3 font-mono text-xs leading-5 text-zinc-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500`}
      >
        {dropped > 0 && (
          <p className="text-zinc-500 italic">
            {dropped} earlier lines not shown (keeping the last {MAX_LINES}).
          </p>
        )}
        {lines.length === 0 ? (
          <p className="text-zinc-500">
            {!gaveUp && !problem && subscription.status === 'connecting' ? 'Connecting…' : emptyText}
          </p>
        ) : (
          <ol>
            {lines.map((line) => (
              <li key={line.key} className="break-all whitespace-pre-wrap">
                <LogLine entry={line.entry} />
              </li>
            ))}
          </ol>
        )}
      </div>
    </section>
  );
}
