import type { DeploymentStatus } from '@/generated/prisma/enums';
import type { Runtime } from '@/server/runtime/types';
import { deploymentRepo } from './deployment.repo';
import { isTerminal } from './state-machine';

const POLL_MS = 500;
const EVENTS_PAGE = 500;
const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

export type LogEntry =
  | { type: 'event'; id: string; level: string; message: string; time: Date }
  | { type: 'log'; stream: 'stdout' | 'stderr'; line: string; time: Date | null }
  | { type: 'status'; status: DeploymentStatus };

const toEntry = (event: { id: bigint; level: string; message: string; createdAt: Date }): LogEntry => ({
  type: 'event',
  id: event.id.toString(),
  level: event.level,
  message: event.message,
  time: event.createdAt,
});

/**
 * The deployment's events as they happen. With `follow`, keeps going until the deployment reaches a
 * state where nothing more happens by itself (healthy or terminal), then reports that status.
 */
export async function* deploymentEvents(
  deploymentId: string,
  options: { follow: boolean; signal?: AbortSignal },
): AsyncGenerator<LogEntry> {
  let cursor = 0n;
  let lastStatus: string | null = null;
  // Every event after the cursor, page by page: a build log alone can hold thousands.
  async function* newEvents() {
    for (;;) {
      const page = await deploymentRepo.eventsAfter(deploymentId, cursor, EVENTS_PAGE);
      for (const event of page) {
        cursor = event.id;
        yield toEntry(event);
      }
      if (page.length < EVENTS_PAGE || options.signal?.aborted) return;
    }
  }
  while (!options.signal?.aborted) {
    yield* newEvents();
    const deployment = await deploymentRepo.findById(deploymentId);
    if (!deployment) return;
    if (deployment.status !== lastStatus) {
      lastStatus = deployment.status;
      yield { type: 'status', status: deployment.status };
    }
    const settled = isTerminal(deployment.status) || deployment.status === 'healthy';
    if (!options.follow || settled) {
      // One more read so events written together with the final status are not lost.
      yield* newEvents();
      return;
    }
    await sleep(POLL_MS, options.signal);
  }
}

/** The running app's output: the last `tail` lines, then new ones while `follow`. */
export async function* runtimeLogs(
  runtime: Runtime,
  project: string,
  deploymentId: string,
  options: { follow: boolean; tail: number; signal?: AbortSignal },
): AsyncGenerator<LogEntry> {
  for await (const line of runtime.logs(project, deploymentId, options)) {
    yield { type: 'log', stream: line.stream, line: line.line, time: line.time };
  }
}
