import { describe, expect, it } from 'vitest';
import { instanceStatsOf } from './container-stats';

const GiB = 1024 ** 3;

describe('instanceStatsOf', () => {
  it('computes CPU as docker stats does, memory without the page cache, and sums the networks', () => {
    const stats = instanceStatsOf(
      {
        cpu_stats: { cpu_usage: { total_usage: 3_000_000 }, system_cpu_usage: 20_000_000, online_cpus: 2 },
        precpu_stats: { cpu_usage: { total_usage: 1_000_000 }, system_cpu_usage: 10_000_000 },
        memory_stats: { usage: 50_000_000, limit: 256 * 1024 * 1024, stats: { inactive_file: 10_000_000 } },
        networks: { eth0: { rx_bytes: 100, tx_bytes: 40 }, eth1: { rx_bytes: 5, tx_bytes: 2 } },
      },
      3,
      8 * GiB,
    );
    expect(stats).toEqual({
      cpuPercent: 40,
      memoryBytes: 40_000_000,
      memoryLimitBytes: 256 * 1024 * 1024,
      networkRxBytes: 105,
      networkTxBytes: 42,
      restarts: 3,
    });
  });

  it('reads no limit where the engine reports the host memory, and 0 % without a previous reading', () => {
    const stats = instanceStatsOf(
      {
        cpu_stats: { cpu_usage: { total_usage: 3_000_000 }, system_cpu_usage: 20_000_000, online_cpus: 2 },
        memory_stats: { usage: 1000, limit: 8 * GiB, stats: { total_inactive_file: 200 } },
      },
      0,
      8 * GiB,
    );
    expect(stats).toMatchObject({
      cpuPercent: 0,
      memoryBytes: 800,
      memoryLimitBytes: null,
      networkRxBytes: 0,
    });
  });
});
