import { describe, expect, it } from 'vitest';
import { createVolumeInput, mountPath, sizeBytes, volumeName, volumeSize } from './volume.schema';

const message = (result: { success: boolean; error?: { issues: { message: string }[] } }) =>
  result.success ? null : result.error?.issues[0]?.message;

describe('volume name', () => {
  it('accepts DNS labels', () => {
    for (const name of ['data', 'a', 'uploads-2', '0cache']) expect(volumeName.parse(name)).toBe(name);
  });
  it('refuses anything else with the rule', () => {
    for (const name of ['Data', '-data', 'data-', 'da_ta', 'da.ta', '', 'x'.repeat(41)]) {
      expect(message(volumeName.safeParse(name))).toMatch(/lowercase letters, digits and hyphens/);
    }
  });
});

describe('mount path', () => {
  it('accepts absolute directories and drops a trailing slash', () => {
    expect(mountPath.parse('/data')).toBe('/data');
    expect(mountPath.parse('/var/lib/app/')).toBe('/var/lib/app');
    expect(mountPath.parse('/srv/proc')).toBe('/srv/proc');
  });
  it('refuses relative paths', () => {
    expect(message(mountPath.safeParse('data'))).toBe('Mount path "data" must be absolute (e.g. /data).');
  });
  it('refuses the root', () => {
    expect(message(mountPath.safeParse('/'))).toMatch(/would hide the whole container/);
    expect(message(mountPath.safeParse('//'))).toMatch(/would hide the whole container/);
  });
  it('refuses paths under /proc, /sys and /dev', () => {
    expect(message(mountPath.safeParse('/proc'))).toBe(
      'Mount path "/proc" is under /proc, which the runtime owns.',
    );
    expect(message(mountPath.safeParse('/sys/fs'))).toMatch(/under \/sys/);
    expect(message(mountPath.safeParse('/dev/shm'))).toMatch(/under \/dev/);
  });
  it('refuses traversal, empty parts and odd characters', () => {
    expect(message(mountPath.safeParse('/data/../etc'))).toMatch(/'\.\.' parts/);
    expect(message(mountPath.safeParse('/data//x'))).toMatch(/empty/);
    expect(message(mountPath.safeParse('/da ta'))).toMatch(/may only contain/);
    expect(message(mountPath.safeParse('/a:b'))).toMatch(/may only contain/);
  });
});

describe('volume size', () => {
  it('accepts binary quantities', () => {
    expect(volumeSize.parse('512Mi')).toBe('512Mi');
    expect(sizeBytes('1Gi')).toBe(1073741824);
    expect(sizeBytes('512Mi')).toBe(536870912);
  });
  it('refuses other forms', () => {
    for (const size of ['1G', '1gi', '0Gi', '1.5Gi', 'Gi', '1 Gi', '-1Gi', '1Ki']) {
      expect(message(volumeSize.safeParse(size))).toMatch(/such as 512Mi, 1Gi or 2Ti/);
    }
  });
  it('refuses more than 16Ti', () => {
    expect(volumeSize.parse('16Ti')).toBe('16Ti');
    expect(message(volumeSize.safeParse('17Ti'))).toBe('A volume can be at most 16Ti.');
  });
  it('defaults to 1Gi', () => {
    expect(createVolumeInput.parse({ name: 'data', mountPath: '/data' })).toEqual({
      name: 'data',
      mountPath: '/data',
      size: '1Gi',
    });
  });
});
