import type Dockerode from 'dockerode';
import { z } from 'zod';
import { managedLabel, type RiseLabels } from '@/server/docker/labels';
import type { ExitWatch } from '../types';
import { readInstanceLabels } from './instance-labels';

/** The part of a Docker `die` event Rise reads (the actor's attributes are the container's labels too). */
const dieEvent = z.object({
  Type: z.literal('container'),
  Action: z.literal('die'),
  Actor: z.object({ Attributes: z.record(z.string(), z.string()).default({}) }),
});

const RETRY_MIN_MS = 1000;
const RETRY_MAX_MS = 30_000;

/**
 * Follows the engine's `die` events of the app containers `labels` marks as this installation's
 * (databases have no deployment label) and calls `watch.onExit` for each. When the event stream ends or
 * fails (the daemon restarted, the socket went away), it connects again, with backoff while that fails,
 * and calls `watch.onResumed` once it listens again: exits in between were not seen. Never throws;
 * the returned function stops it.
 */
export function watchContainerExits(docker: Dockerode, labels: RiseLabels, watch: ExitWatch): () => void {
  let stopped = false;
  let stream: NodeJS.ReadableStream | null = null;
  let timer: NodeJS.Timeout | null = null;
  let retryMs = RETRY_MIN_MS;
  let connectedOnce = false;
  const log = watch.log ?? (() => {});

  const dispatch = (line: string) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      return;
    }
    const event = dieEvent.safeParse(parsed);
    if (!event.success) return;
    const attributes = event.data.Actor.Attributes;
    const instance = readInstanceLabels(labels, attributes);
    if (!instance) return;
    const code = Number(attributes.exitCode);
    try {
      watch.onExit({ ...instance, exitCode: Number.isInteger(code) ? code : null });
    } catch (error) {
      log(`container exits: a listener failed: ${error instanceof Error ? error.message : error}`);
    }
  };

  const retry = (why: string) => {
    stream = null;
    if (stopped || timer) return;
    log(`container exits: ${why}; listening again in ${Math.round(retryMs / 1000)} s`);
    timer = setTimeout(() => {
      timer = null;
      void connect();
    }, retryMs);
    timer.unref();
    retryMs = Math.min(RETRY_MAX_MS, retryMs * 2);
  };

  const connect = async () => {
    let events: NodeJS.ReadableStream;
    try {
      events = (await docker.getEvents({
        filters: { type: ['container'], event: ['die'], label: [managedLabel(labels), labels.deployment] },
      })) as NodeJS.ReadableStream;
    } catch (error) {
      retry(`the Docker engine's events are unavailable (${error instanceof Error ? error.message : error})`);
      return;
    }
    if (stopped) {
      destroy(events);
      return;
    }
    stream = events;
    retryMs = RETRY_MIN_MS;
    if (connectedOnce) {
      try {
        watch.onResumed?.();
      } catch (error) {
        log(`container exits: a listener failed: ${error instanceof Error ? error.message : error}`);
      }
    }
    connectedOnce = true;
    let pending = '';
    events.setEncoding('utf8');
    events.on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) dispatch(line);
    });
    let ended = false;
    const lost = (why: string) => {
      if (ended) return;
      ended = true;
      if (stream === events) retry(why);
    };
    events.on('error', (error: Error) => lost(`the event stream failed (${error.message})`));
    events.on('end', () => lost('the event stream ended'));
    events.on('close', () => lost('the event stream closed'));
  };

  void connect();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    timer = null;
    if (stream) destroy(stream);
    stream = null;
  };
}

function destroy(stream: NodeJS.ReadableStream): void {
  (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
}
