import { describe, expect, it } from 'vitest';
import { compareCounts } from './drill-report';

describe('drill report', () => {
  it('passes when every table has the rows it had when the backup was taken', () => {
    const counts = [{ table: 'public.a', rows: 3 }];
    expect(compareCounts(counts, counts)).toEqual({
      passed: true,
      tables: [{ table: 'public.a', expected: 3, restored: 3 }],
    });
  });

  it('fails on a differing count, a missing table and an unexpected one', () => {
    const report = compareCounts(
      [
        { table: 'a', rows: 3 },
        { table: 'b', rows: 1 },
      ],
      [
        { table: 'a', rows: 2 },
        { table: 'c', rows: 0 },
      ],
    );
    expect(report.passed).toBe(false);
    expect(report.tables).toEqual([
      { table: 'a', expected: 3, restored: 2 },
      { table: 'b', expected: 1, restored: null },
      { table: 'c', expected: null, restored: 0 },
    ]);
  });
});
