import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { env as processEnv } from '@/env';
import {
  HEARTBEAT_INTERVAL_MS,
  type RuntimeReport,
  recordWorkerHeartbeat,
} from '@/server/domains/platform/worker-heartbeat.service';
import { createRuntime, type RuntimeSettings } from '@/server/runtime';

const CHECK_TIMEOUT_MS = 5000;

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

/** An error's message with its cause's (dockerode and fetch put the useful part there). */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? error.cause.message : '';
  return cause && !error.message.includes(cause) ? `${error.message} (${cause})` : error.message;
}

/** Whether this process reaches the Docker engine (the socket the worker deploys through). */
export async function checkDockerRuntime(settings: RuntimeSettings = processEnv): Promise<RuntimeReport> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const instances = await Promise.race([
      createRuntime('docker', settings).list(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)),
          CHECK_TIMEOUT_MS,
        );
      }),
    ]);
    return { ok: true, detail: `Docker engine reachable (${plural(instances.length, 'instance')})` };
  } catch (error) {
    return { ok: false, detail: `Docker engine unreachable: ${describeError(error)}` };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Reports this worker process to Admin → Health every `intervalMs`: that it is alive, and what it
 * sees of its runtime. A failed report is logged and retried at the next beat, never fatal.
 */
export function startWorkerHeartbeat(options: {
  log: (line: string) => void;
  intervalMs?: number;
  check?: () => Promise<RuntimeReport>;
}): { stop: () => Promise<void> } {
  const intervalMs = options.intervalMs ?? HEARTBEAT_INTERVAL_MS;
  const check = options.check ?? (() => checkDockerRuntime());
  const worker = { id: randomUUID(), hostname: hostname(), pid: process.pid, startedAt: new Date() };
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let lastError = '';
  const beat = async () => {
    try {
      await recordWorkerHeartbeat(worker, await check());
      lastError = '';
    } catch (error) {
      const message = describeError(error);
      // Once per distinct failure: a database outage must not print a line every beat.
      if (message !== lastError) options.log(`heartbeat not recorded: ${message}`);
      lastError = message;
    }
  };
  let running = beat();
  const schedule = () => {
    timer = setTimeout(() => {
      running = beat().then(() => {
        if (!stopped) schedule();
      });
    }, intervalMs);
  };
  void running.then(() => {
    if (!stopped) schedule();
  });
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
