import { describe, expect, it } from 'vitest';
import { CANNOT_RUN_EXIT_CODE, resizeFrame, statusExitCode } from './pod-exec';

describe('the exec channel protocol', () => {
  it('reads the exit code from the status channel', () => {
    expect(statusExitCode({ metadata: {}, status: 'Success' })).toBe(0);
    expect(
      statusExitCode({
        status: 'Failure',
        reason: 'NonZeroExitCode',
        message: 'command terminated with non-zero exit code: exit code 42',
        details: { causes: [{ reason: 'ExitCode', message: '42' }] },
      }),
    ).toBe(42);
    // The command could not start: no exit code of its own.
    expect(
      statusExitCode({ status: 'Failure', reason: 'InternalError', message: 'executable file not found' }),
    ).toBe(CANNOT_RUN_EXIT_CODE);
    expect(statusExitCode({ status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [] } })).toBe(
      CANNOT_RUN_EXIT_CODE,
    );
  });

  it('sends a terminal size on channel 4 as the API server reads it', () => {
    const frame = resizeFrame(120, 40);
    expect(frame[0]).toBe(4);
    expect(JSON.parse(frame.subarray(1).toString())).toEqual({ Width: 120, Height: 40 });
  });
});
