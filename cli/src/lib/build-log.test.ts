import { describe, expect, it } from 'vitest';
import { BuildLogShipper } from './build-log';

function recorder(answer: (lines: string[]) => Promise<{ full: boolean }> = async () => ({ full: false })) {
  const batches: string[][] = [];
  const problems: unknown[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const shipper = new BuildLogShipper(
    async (lines) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      batches.push(lines);
      await new Promise((resolve) => setTimeout(resolve, 5));
      try {
        return await answer(lines);
      } finally {
        inFlight--;
      }
    },
    (error) => problems.push(error),
    { batchLines: 3, intervalMs: 10_000 },
  );
  return { shipper, batches, problems, maxInFlight: () => maxInFlight };
}

describe('BuildLogShipper', () => {
  it('sends lines in order, in batches, one request at a time, and the rest on close', async () => {
    const { shipper, batches, maxInFlight } = recorder();
    for (const line of ['a', 'b', 'c', 'd', 'e', 'f', 'g']) shipper.add(line);
    await shipper.close();
    expect(batches).toEqual([['a', 'b', 'c'], ['d', 'e', 'f'], ['g']]);
    expect(maxInFlight()).toBe(1);
  });

  it('sanitizes lines and skips the ones left empty', async () => {
    const { shipper, batches } = recorder();
    shipper.add('\u001b[31mred\u001b[0m');
    shipper.add('\u001b[2K');
    shipper.add('nul\u0000byte');
    await shipper.close();
    expect(batches).toEqual([['red', 'nulbyte']]);
  });

  it('sends what waited when the interval passes', async () => {
    const batches: string[][] = [];
    const shipper = new BuildLogShipper(
      async (lines) => {
        batches.push(lines);
        return { full: false };
      },
      () => {},
      { intervalMs: 20 },
    );
    shipper.add('first');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(batches).toEqual([['first']]);
    await shipper.close();
  });

  it('stops quietly when the log is full', async () => {
    const { shipper, batches, problems } = recorder(async () => ({ full: true }));
    for (const line of ['a', 'b', 'c', 'd']) shipper.add(line);
    await shipper.close();
    shipper.add('e');
    await shipper.close();
    expect(batches).toEqual([['a', 'b', 'c']]);
    expect(problems).toEqual([]);
  });

  it('stops at the first failure and reports it once, without throwing', async () => {
    const { shipper, batches, problems } = recorder(async () => {
      throw new Error('PRECONDITION_FAILED: deployment is cancelling');
    });
    for (const line of ['a', 'b', 'c', 'd', 'e', 'f', 'g']) shipper.add(line);
    await expect(shipper.close()).resolves.toBeUndefined();
    expect(batches).toHaveLength(1);
    expect(problems).toHaveLength(1);
  });
});
