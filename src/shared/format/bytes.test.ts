import { describe, expect, it } from 'vitest';
import { formatBytes } from './bytes';

describe('formatBytes', () => {
  it('reads binary units with one decimal below 100 and none from 100', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1024)).toBe('1 KiB');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(512 * 1024 * 1024)).toBe('512 MiB');
    expect(formatBytes(2 * 1024 ** 5)).toBe('2048 TiB');
  });

  it('rounds a rate below 1 KiB to whole bytes', () => {
    expect(formatBytes(12.6)).toBe('13 B');
  });

  it('says what the caller chose when the figure is not known', () => {
    expect(formatBytes(null)).toBe('-');
    expect(formatBytes(undefined, '–')).toBe('–');
  });
});
