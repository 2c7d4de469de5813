import { describe, expect, it } from 'vitest';
import { backupsToDelete, type RetainedBackup } from './retention';

const now = new Date('2026-01-31T00:00:00Z');
const daysAgo = (d: number) => new Date(now.getTime() - d * 24 * 60 * 60 * 1000);
const b = (id: string, age: number, status: RetainedBackup['status'] = 'succeeded', scheduleId = 's1') => ({
  id,
  scheduleId,
  createdAt: daysAgo(age),
  status,
});

describe('backupsToDelete', () => {
  it('keeps everything without a policy', () => {
    expect(backupsToDelete('s1', [b('a', 1), b('b', 2)], {}, now)).toEqual([]);
  });

  it('keepLast deletes the oldest beyond the count, oldest first', () => {
    const backups = [b('a', 1), b('b', 2), b('c', 3), b('d', 4)];
    expect(backupsToDelete('s1', backups, { keepLast: 2 }, now)).toEqual(['d', 'c']);
  });

  it('maxAgeDays deletes backups older than the cutoff', () => {
    const backups = [b('a', 1), b('b', 10), b('c', 40)];
    expect(backupsToDelete('s1', backups, { maxAgeDays: 7 }, now)).toEqual(['c', 'b']);
  });

  it('combines both rules (either one marks a backup)', () => {
    const backups = [b('a', 1), b('b', 2), b('c', 3), b('d', 30)];
    expect(backupsToDelete('s1', backups, { keepLast: 3, maxAgeDays: 7 }, now)).toEqual(['d']);
    expect(backupsToDelete('s1', backups, { keepLast: 1, maxAgeDays: 7 }, now)).toEqual(['d', 'c', 'b']);
  });

  it('never deletes the newest succeeded backup, even if old or beyond keepLast', () => {
    const backups = [b('f1', 1, 'failed'), b('f2', 2, 'failed'), b('ok', 50), b('old', 60)];
    expect(backupsToDelete('s1', backups, { keepLast: 1 }, now)).toEqual(['old', 'f2']);
    expect(backupsToDelete('s1', backups, { maxAgeDays: 7 }, now)).toEqual(['old']);
    expect(backupsToDelete('s1', backups, { keepLast: 0, maxAgeDays: 0 }, now)).toEqual(['old', 'f2', 'f1']);
  });

  it('ignores other schedules and pending/running backups', () => {
    const backups = [
      b('mine', 1),
      b('running', 100, 'running'),
      b('pending', 100, 'pending'),
      b('other', 100, 'succeeded', 's2'),
      b('other-failed', 100, 'failed', 's2'),
      b('mine-old', 100),
    ];
    expect(backupsToDelete('s1', backups, { keepLast: 1, maxAgeDays: 1 }, now)).toEqual(['mine-old']);
  });

  it('is deterministic regardless of input order, breaking createdAt ties by id', () => {
    const backups = [b('x', 5), b('y', 5), b('z', 5), b('w', 5)];
    const expected = backupsToDelete('s1', backups, { keepLast: 2 }, now);
    expect(expected).toEqual(['w', 'x']);
    expect(backupsToDelete('s1', [...backups].reverse(), { keepLast: 2 }, now)).toEqual(expected);
  });

  it('does not mutate its input', () => {
    const backups = [b('a', 3), b('b', 1), b('c', 2)];
    const copy = backups.map((x) => ({ ...x }));
    backupsToDelete('s1', backups, { keepLast: 1 }, now);
    expect(backups).toEqual(copy);
  });

  it('rejects invalid policies', () => {
    expect(() => backupsToDelete('s1', [], { keepLast: -1 }, now)).toThrow(RangeError);
    expect(() => backupsToDelete('s1', [], { keepLast: 1.5 }, now)).toThrow(RangeError);
    expect(() => backupsToDelete('s1', [], { maxAgeDays: Number.NaN }, now)).toThrow(RangeError);
  });
});
