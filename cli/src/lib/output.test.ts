import { afterEach, describe, expect, it, vi } from 'vitest';
import { printList, startSpinner } from './output';
import { captureProcess } from './testing/capture-process';

/** Each write to stderr, which is a terminal or not as asked. */
function recordStderr({ isTTY }: { isTTY: boolean }): string[] {
  const writes: string[] = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    writes.push(String(chunk));
    return true;
  });
  Object.defineProperty(process.stderr, 'isTTY', { value: isTTY, configurable: true });
  return writes;
}

describe('startSpinner', () => {
  afterEach(() => vi.restoreAllMocks());

  it('prints the plain line once when stderr is not a terminal', () => {
    const writes = recordStderr({ isTTY: false });
    const spinner = startSpinner("Deploying 'app' ...");
    spinner.stop();
    spinner.stop();
    expect(writes).toEqual(["Deploying 'app' ...\n"]);
  });

  it('animates on a terminal and ends with the line, once', () => {
    vi.useFakeTimers();
    const writes = recordStderr({ isTTY: true });
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

describe('printList', () => {
  const output = captureProcess();
  const view = {
    empty: 'No fruit yet.',
    table: (fruits: { name: string; count: number }[]) => ({
      columns: [
        { title: 'NAME', width: 8 },
        { title: 'COUNT', width: 0 },
      ],
      rows: fruits.map((fruit) => [fruit.name, String(fruit.count)]),
    }),
  };

  it('prints the items as JSON on stdout, even none', () => {
    printList('json', [{ name: 'apple', count: 2 }], view);
    printList('json', [], view);
    expect(output.stdout).toBe('[\n  {\n    "name": "apple",\n    "count": 2\n  }\n]\n[]\n');
    expect(output.stderr).toBe('');
  });

  it("says the view's hint on stderr when there are no items", () => {
    printList('table', [], view);
    expect(output.stderr).toBe('No fruit yet.\n');
    expect(output.stdout).toBe('');
  });

  it("prints the view's table on stdout", () => {
    printList('table', [{ name: 'apple', count: 2 }], view);
    expect(output.stdout).toBe('NAME    COUNT\napple   2\n');
    expect(output.stderr).toBe('');
  });
});
