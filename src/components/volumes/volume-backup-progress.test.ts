import { describe, expect, it } from 'vitest';
import type { VolumeBackupView } from '@/shared/volumes/volume.schema';
import { ACTION_WAIT_MS, drillText, isUnderWay } from './volume-backup-progress';

const backup = (over: Partial<VolumeBackupView> = {}): VolumeBackupView => ({
  id: 'b1',
  volume: 'data',
  destination: 'local',
  status: 'succeeded',
  sizeBytes: 10,
  sha256: 'x',
  encrypted: false,
  files: 1,
  error: null,
  drill: null,
  restoredAt: null,
  createdAt: new Date('2026-01-01T00:00:00Z'),
  finishedAt: new Date('2026-01-01T00:00:01Z'),
  ...over,
});
const drilled = (at: string, ok: boolean) => ({
  at: new Date(at),
  ok,
  missing: [],
  extra: [],
  changed: ok ? [] : ['a', 'b'],
  error: null,
});

describe('volume backup drill and restore progress', () => {
  it('is under way until the row shows a newer drill or restore', () => {
    const now = 1_000_000;
    expect(isUnderWay({ action: 'drill', before: null, at: now }, backup(), now)).toBe(true);
    expect(
      isUnderWay(
        { action: 'drill', before: null, at: now },
        backup({ drill: drilled('2026-01-02T00:00:00Z', true) }),
        now,
      ),
    ).toBe(false);
    const first = new Date('2026-01-02T00:00:00Z');
    const asked = { action: 'restore' as const, before: first.getTime(), at: now };
    expect(isUnderWay(asked, backup({ restoredAt: first }), now)).toBe(true);
    expect(isUnderWay(asked, backup({ restoredAt: new Date('2026-01-03T00:00:00Z') }), now)).toBe(false);
  });

  it('stops waiting after ACTION_WAIT_MS', () => {
    expect(isUnderWay({ action: 'restore', before: null, at: 0 }, backup(), ACTION_WAIT_MS)).toBe(false);
  });

  it('says how the last drill went', () => {
    expect(drillText(null)).toBe('not drilled');
    expect(drillText(drilled('2026-01-02T00:00:00Z', true))).toBe('drill passed');
    expect(drillText(drilled('2026-01-02T00:00:00Z', false))).toBe('drill failed: 2 files differ');
  });
});
