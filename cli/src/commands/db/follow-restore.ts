import { CliError } from '../../lib/errors';
import { say } from '../../lib/output';

/** One line of a restore's log as printed: time, level unless info, message. */
export function restoreLogLine(entry: { at: Date; level: string; message: string }): string {
  const level = entry.level === 'info' ? '' : `${entry.level.toUpperCase()} `;
  return `${entry.at.toISOString().slice(11, 19)} ${level}${entry.message}`;
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
export function followRestore(
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
