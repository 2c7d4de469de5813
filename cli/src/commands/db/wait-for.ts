import { CliError, EXIT } from '../../lib/errors';
import { startSpinner } from '../../lib/output';
import { sleep } from '../../lib/sleep';

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
