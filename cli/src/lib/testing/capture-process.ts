import { afterEach, beforeEach, vi } from 'vitest';

/**
 * For every test of the calling file: collects what is written to stdout and stderr instead of
 * printing it, and turns process.exit(code) into a thrown `exit <code>`; all is undone after each.
 */
export function captureProcess(): { readonly stdout: string; readonly stderr: string } {
  const captured = { stdout: '', stderr: '' };
  beforeEach(() => {
    captured.stdout = '';
    captured.stderr = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      captured.stdout += String(chunk);
      return true;
    });
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      captured.stderr += String(chunk);
      return true;
    });
    vi.spyOn(process, 'exit').mockImplementation((code) => {
      throw new Error(`exit ${code}`);
    });
  });
  afterEach(() => {
    vi.restoreAllMocks();
    process.exitCode = undefined;
  });
  return captured;
}
