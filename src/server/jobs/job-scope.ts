import { AsyncLocalStorage } from 'node:async_hooks';

// Attributes errors nobody caught (an 'error' event without a listener on a socket or stream an
// adapter opened, a throw in a timer callback) to the job whose code created the resource: Node
// keeps the AsyncLocalStorage store of the callback that threw while 'uncaughtException' and
// 'unhandledRejection' handlers run, so the process net can fail that job instead of the process.

type Scope = { job: string; id: string; fail: (error: Error) => void };

const scopes = new AsyncLocalStorage<Scope>();

/** An error that escaped a job's own error handling; the job fails with it, the process lives on. */
export class UncaughtJobError extends Error {
  constructor(
    readonly job: string,
    readonly jobId: string,
    readonly original: Error,
  ) {
    super(`${original.message} (an error the ${job} job did not handle)`, { cause: original });
    this.name = 'UncaughtJobError';
  }
}

/**
 * Runs `work` as job `job`/`id`: resolves or rejects with it, or rejects with an UncaughtJobError as
 * soon as an uncaught error is attributed to it (its abandoned work is then left to settle on its own).
 */
export function runInJobScope<T>(job: string, id: string, work: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      reject(new UncaughtJobError(job, id, error));
    };
    scopes.run({ job, id, fail }, () => {
      work().then(
        (value) => {
          if (settled) return;
          settled = true;
          resolve(value);
        },
        (error: unknown) => {
          if (settled) return;
          settled = true;
          reject(error);
        },
      );
    });
  });
}

let installed = false;

/**
 * The process net: an uncaught exception or unhandled rejection fails the job it belongs to (when it
 * can be told) and is logged; the process keeps running either way. A job runner that dies with one
 * bad job takes every other tenant's jobs down with it.
 */
export function installProcessNet(log: (line: string) => void): void {
  if (installed) return;
  installed = true;
  const handle = (kind: string) => (reason: unknown) => {
    const error = reason instanceof Error ? reason : new Error(String(reason));
    const scope = scopes.getStore();
    if (scope) {
      log(`${kind} in ${scope.job} job ${scope.id}: ${error.stack ?? error.message}; failing the job`);
      scope.fail(error);
    } else {
      log(`${kind} outside any job (kept running): ${error.stack ?? error.message}`);
    }
  };
  process.on('uncaughtException', handle('uncaught exception'));
  process.on('unhandledRejection', handle('unhandled rejection'));
}
