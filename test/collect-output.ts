import type { ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';

/**
 * Collects a child's stdout and stderr as text; the returned object grows as they do.
 * `onStderr` sees all of stderr so far after each chunk.
 */
export function collectOutput(
  child: ChildProcessByStdio<Writable | null, Readable, Readable>,
  onStderr?: (stderr: string) => void,
): { readonly stdout: string; readonly stderr: string } {
  const output = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk) => (output.stdout += chunk));
  child.stderr.on('data', (chunk) => {
    output.stderr += chunk;
    onStderr?.(output.stderr);
  });
  return output;
}
