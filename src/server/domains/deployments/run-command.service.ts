import { randomBytes } from 'node:crypto';
import type { Caller } from '@/server/domains/access/caller';
import { projectAuditTarget, recordAudit } from '@/server/domains/audit/audit.service';
import type { ProjectRecord } from '@/server/domains/projects/project.repo';
import { AppError } from '@/server/errors';
import type { LogLine, OneOffResult } from '@/server/runtime/types';
import type { EngineDeps } from './engine-deps';
import { oneOffOf } from './one-off-spec';
import type { RunCommandEntry } from './run-command.schema';
import { instanceSpecFor } from './run-deployment';
import { LIVE } from './state-machine';

/**
 * `rise run`: `command` once in a one-off container of the project's active deployment (its pinned
 * image, env, network and limits), its output streamed as it comes, then its exit code. The container
 * is removed in every case, also when the caller goes away (`signal`). Audited when it starts and when
 * it ends (command, exit code, duration).
 */
export async function* runProjectCommand(
  deps: EngineDeps,
  caller: Caller,
  project: ProjectRecord,
  command: string[],
  signal?: AbortSignal,
): AsyncGenerator<RunCommandEntry> {
  const unit = await deps.repos.projects.findForDeploy(project.id);
  const active = unit?.activeDeployment;
  if (!unit || !active || !LIVE.includes(active.status) || !active.image || !active.imageDigest) {
    throw new AppError(
      'PRECONDITION_FAILED',
      `'${project.name}' has no running deployment to run a command in; deploy it first (rise d c ${project.name}).`,
    );
  }
  const target = projectAuditTarget(project);
  await recordAudit(caller, {
    action: 'project.run',
    ...target,
    details: { command, deployment: active.id },
  });
  yield { type: 'started', deployment: active.id };

  const started = Date.now();
  const output = new LineQueue();
  // Aborted also when the reader stops early: the container then goes at once.
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  signal?.addEventListener('abort', onAbort);
  let result: OneOffResult | null = null;
  let failure: string | null = null;
  let running: Promise<void> | null = null;
  let audited = false;
  /** False in `finally` only when the reader stopped reading mid-run. */
  let completed = false;
  const recordEnd = async (ended: { exitCode: number | null; error: string | null }) => {
    audited = true;
    await recordAudit(caller, {
      action: 'project.run.end',
      ...target,
      details: { command, deployment: active.id, ...ended, durationMs: Date.now() - started },
    });
  };
  try {
    const spec = await instanceSpecFor(deps, unit, {
      id: active.id,
      image: active.image,
      digest: active.imageDigest,
      slot: active.slot ?? 'a',
    });
    running = deps.runtime
      .runOneOff(oneOffOf(spec, 'run', `run-${randomBytes(6).toString('hex')}`, command), {
        timeoutMs: deps.settings.releaseTimeoutMs,
        signal: stop.signal,
        onOutput: (line) => output.push(line),
      })
      .then(
        (outcome) => {
          result = outcome;
        },
        (error: unknown) => {
          failure = error instanceof Error ? error.message : String(error);
        },
      )
      .finally(() => output.close());
    for await (const line of output) yield { type: 'output', stream: line.stream, line: line.line };
    await running;
    completed = true;
  } catch (error) {
    failure = error instanceof Error ? error.message : String(error);
    completed = true;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    if (!completed && !audited) {
      // The reader went away mid-run: stop the container, wait for its removal, and say so.
      stop.abort();
      await running;
      await recordEnd({ exitCode: null, error: 'the caller went away; stopped' });
    }
  }
  const ended = endOf(result, failure, deps.settings.releaseTimeoutMs);
  await recordEnd(ended);
  yield { type: 'exit', ...ended, durationMs: Date.now() - started };
}

function endOf(result: OneOffResult | null, failure: string | null, timeoutMs: number) {
  if (result?.outcome === 'exited') return { exitCode: result.exitCode, error: null };
  if (result?.outcome === 'timedOut') {
    return {
      exitCode: null,
      error: `stopped after ${Math.round(timeoutMs / 1000)} s (RISE_RELEASE_TIMEOUT)`,
    };
  }
  if (result?.outcome === 'cancelled') return { exitCode: null, error: 'cancelled' };
  return { exitCode: null, error: `the command could not run: ${failure ?? 'unknown error'}` };
}

/** Lines pushed by the runtime, read in order by one async iteration that ends after `close`. */
class LineQueue implements AsyncIterable<LogLine> {
  private readonly lines: LogLine[] = [];
  private closed = false;
  private wake: (() => void) | null = null;

  push(line: LogLine): void {
    this.lines.push(line);
    this.wake?.();
  }

  close(): void {
    this.closed = true;
    this.wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<LogLine> {
    for (;;) {
      const line = this.lines.shift();
      if (line) {
        yield line;
        continue;
      }
      if (this.closed) return;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        if (this.lines.length > 0 || this.closed) resolve();
      });
      this.wake = null;
    }
  }
}
