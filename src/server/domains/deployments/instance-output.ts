import { type InstanceRef, isPrimary, type LogLine, type Runtime } from '@/server/runtime/types';

/**
 * The last `tail` lines an instance printed (absent `instance`: web replica 0), for telling why it
 * stopped; none when the runtime cannot tell (the failure is then told without its output).
 */
export async function lastOutputOf(
  runtime: Pick<Runtime, 'logs'>,
  project: string,
  deploymentId: string,
  tail: number,
  instance?: InstanceRef,
): Promise<LogLine[]> {
  const lines: LogLine[] = [];
  try {
    for await (const entry of runtime.logs(project, deploymentId, {
      follow: false,
      tail,
      ...(instance && !isPrimary(instance) ? { instance } : {}),
    })) {
      lines.push(entry);
    }
  } catch {
    // What was read so far, if anything.
  }
  return lines.slice(-tail);
}
