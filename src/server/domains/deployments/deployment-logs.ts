import type { DeploymentStatus } from '@/generated/prisma/enums';
import type { InstanceRef, Runtime } from '@/server/runtime/types';
import { BUILD_LOG_LEVEL } from './build-log.repo';
import { deploymentRepo } from './deployment.repo';
import { isTerminal } from './state-machine';

const POLL_MS = 500;
/**
 * A healthy deployment's last event, written once the old instance is gone: following stops there
 * rather than at `healthy`, which commits with the route write, before the old instance is removed.
 */
export const DEPLOYMENT_DONE = 'Deployment successful';
/** Why a deployment failed when its route could not be written (older deployments: a warning event). */
export const TRAFFIC_NOT_MOVED = 'Traffic could not be moved';
/** Following a healthy deployment ends after this long even without its last event (a worker died). */
const HEALTHY_FOLLOW_LIMIT_MS = 60_000;
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
 * state where nothing more happens by itself (terminal, or healthy with its last event: traffic
 * moved and the old instance removed), then reports that status.
 */
export async function* deploymentEvents(
  deploymentId: string,
  options: { follow: boolean; signal?: AbortSignal },
): AsyncGenerator<LogEntry> {
  let cursor = 0n;
  let lastStatus: string | null = null;
  let done = false;
  let healthySince: number | null = null;
  // Every event after the cursor, page by page: a build log alone can hold thousands.
  async function* newEvents() {
    for (;;) {
      const page = await deploymentRepo.eventsAfter(deploymentId, cursor, EVENTS_PAGE);
      for (const event of page) {
        cursor = event.id;
        if (event.message === DEPLOYMENT_DONE || event.message.startsWith(TRAFFIC_NOT_MOVED)) done = true;
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
    healthySince = deployment.status === 'healthy' ? (healthySince ?? Date.now()) : null;
    const settled =
      isTerminal(deployment.status) ||
      (healthySince !== null && (done || Date.now() - healthySince >= HEALTHY_FOLLOW_LIMIT_MS));
    if (!options.follow || settled) {
      // One more read so events written together with the final status are not lost.
      yield* newEvents();
      return;
    }
    await sleep(POLL_MS, options.signal);
  }
}

/**
 * While a deployment is in one of these its build may still add lines: queued, building, pushing, or
 * being cancelled (a cancelled build ends `cancelled`).
 */
const BUILD_RUNNING: readonly DeploymentStatus[] = ['pending', 'building', 'pushing', 'cancelling'];

/**
 * The deployment's build log: the lines a client or server build stored (events of level `build`),
 * and its status as it changes. With `follow`, keeps going until the build ends (pushed and beyond,
 * failed or cancelled); the last entry is then the status it ended in, after every line.
 */
export async function* buildLog(
  deploymentId: string,
  options: { follow: boolean; signal?: AbortSignal },
): AsyncGenerator<LogEntry> {
  let cursor = 0n;
  let lastStatus: DeploymentStatus | null = null;
  async function* newLines() {
    for (;;) {
      const page = await deploymentRepo.eventsAfter(deploymentId, cursor, EVENTS_PAGE);
      for (const event of page) {
        cursor = event.id;
        if (event.level === BUILD_LOG_LEVEL) yield toEntry(event);
      }
      if (page.length < EVENTS_PAGE || options.signal?.aborted) return;
    }
  }
  while (!options.signal?.aborted) {
    // The status first, then the lines: a build stores its lines before it leaves its build phase,
    // so once the status says the build ended, the lines read after it are all there are.
    const deployment = await deploymentRepo.findById(deploymentId);
    if (!deployment) return;
    yield* newLines();
    if (deployment.status !== lastStatus) {
      lastStatus = deployment.status;
      yield { type: 'status', status: deployment.status };
    }
    if (!options.follow || !BUILD_RUNNING.includes(deployment.status)) return;
    await sleep(POLL_MS, options.signal);
  }
}

/** The running app's output: the last `tail` lines, then new ones while `follow`. */
export async function* runtimeLogs(
  runtime: Runtime,
  project: string,
  deploymentId: string,
  options: { follow: boolean; tail: number; signal?: AbortSignal; instance?: InstanceRef },
): AsyncGenerator<LogEntry> {
  for await (const line of runtime.logs(project, deploymentId, options)) {
    yield { type: 'log', stream: line.stream, line: line.line, time: line.time };
  }
}
