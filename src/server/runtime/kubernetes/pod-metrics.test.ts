import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { parseQuantity, podStats } from './pod-metrics';

describe('parseQuantity', () => {
  it('reads CPU and memory quantities', () => {
    expect(parseQuantity('250m')).toBe(0.25);
    expect(parseQuantity('12500000n')).toBeCloseTo(0.0125, 10);
    expect(parseQuantity('2')).toBe(2);
    expect(parseQuantity('64Mi')).toBe(64 * 1024 * 1024);
    expect(parseQuantity('1G')).toBe(1e9);
    expect(parseQuantity('bogus')).toBe(0);
    expect(parseQuantity(undefined)).toBe(0);
  });
});

describe('podStats', () => {
  it('sums the pods of a Deployment: CPU in percent of a core, memory, restarts and limits', () => {
    const pod = (restarts: number): V1Pod => ({
      spec: { containers: [{ name: 'app', resources: { limits: { memory: '128Mi' } } }] },
      status: { containerStatuses: [{ restartCount: restarts } as never] },
    });
    const stats = podStats(
      {
        items: [
          { containers: [{ usage: { cpu: '100m', memory: '10Mi' } }] },
          { containers: [{ usage: { cpu: '50m', memory: '6Mi' } }] },
        ],
      },
      [pod(1), pod(2)],
    );
    expect(stats).toEqual({
      cpuPercent: 15.000000000000002,
      memoryBytes: 16 * 1024 * 1024,
      memoryLimitBytes: 256 * 1024 * 1024,
      networkRxBytes: 0,
      networkTxBytes: 0,
      restarts: 3,
    });
  });
});
