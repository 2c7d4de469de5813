import { describe, expect, it } from 'vitest';
import { figureRows } from './show';

const none = {
  cpuPercent: null,
  memoryBytes: null,
  memoryLimitBytes: null,
  up: null,
  responseMs: null,
  statusCode: null,
  uptimePercent24h: null,
};

describe('figureRows', () => {
  it('prints nothing when the app has no current figures', () => {
    expect(figureRows(none)).toEqual([]);
  });

  it('prints CPU, memory with its limit, the last check and the uptime', () => {
    expect(
      figureRows({
        cpuPercent: 2.345,
        memoryBytes: 50 * 1024 * 1024,
        memoryLimitBytes: 256 * 1024 * 1024,
        up: true,
        responseMs: 12.4,
        statusCode: 200,
        uptimePercent24h: 99.5,
      }),
    ).toEqual([
      ['CPU', '2.3%'],
      ['Memory', '50 MiB / 256 MiB'],
      ['Last check', 'up (200, 12 ms)'],
      ['Uptime (24 h)', '99.50%'],
    ]);
  });

  it('says down, with the status the proxy answered', () => {
    expect(figureRows({ ...none, up: false, statusCode: 502 })).toEqual([['Last check', 'down (502)']]);
  });
});
