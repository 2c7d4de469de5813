import { afterEach, describe, expect, it, vi } from 'vitest';
import { startSpinner } from './output';

describe('startSpinner', () => {
  afterEach(() => vi.restoreAllMocks());

  it('prints the plain line once when stderr is not a terminal', () => {
    const writes: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      writes.push(String(chunk));
      return true;
    });
    Object.defineProperty(process.stderr, 'isTTY', { value: false, configurable: true });
    const spinner = startSpinner("Deploying 'app' ...");
    spinner.stop();
    spinner.stop();
    expect(writes).toEqual(["Deploying 'app' ...\n"]);
  });

  it('animates on a terminal and ends with the line, once', () => {
    vi.useFakeTimers();
    const writes: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      writes.push(String(chunk));
      return true;
    });
    Object.defineProperty(process.stderr, 'isTTY', { value: true, configurable: true });
    const spinner = startSpinner('Pushing...');
    vi.advanceTimersByTime(250);
    spinner.stop();
    spinner.stop();
    vi.useRealTimers();
    expect(writes.length).toBe(5);
    expect(writes[1]).toMatch(/^\rPushing\.\.\. ./);
    expect(writes.at(-1)).toBe('\rPushing...  \n');
  });
});
