import { describe, expect, it } from 'vitest';
import { diskLevelOf, summarizeDockerDf } from './disk-usage';

describe('diskLevelOf', () => {
  it('is critical at or above the critical threshold, warning at or above the warning one', () => {
    const thresholds = { warningPercent: 80, criticalPercent: 90 };
    expect(diskLevelOf(79.9, thresholds)).toBe('ok');
    expect(diskLevelOf(80, thresholds)).toBe('warning');
    expect(diskLevelOf(90, thresholds)).toBe('critical');
    // A warning threshold above the critical one never hides critical.
    expect(diskLevelOf(95, { warningPercent: 99, criticalPercent: 90 })).toBe('critical');
  });
});

describe('summarizeDockerDf', () => {
  it("sums images, volumes, containers and build cache; Rise's images are project-labelled or in its registry", () => {
    const summary = summarizeDockerDf(
      {
        Images: [
          { Size: 100, Labels: { 'dev.rise.project': 'shop' }, RepoTags: ['shop:local'] },
          { Size: 200, Labels: null, RepoTags: null, RepoDigests: ['127.0.0.1:5000/shop@sha256:abc'] },
          { Size: 400, Labels: {}, RepoTags: ['postgres:17'] },
        ],
        Volumes: [{ UsageData: { Size: 10 } }, { UsageData: { Size: -1 } }],
        Containers: [{ SizeRw: 5 }],
        BuildCache: [{ Size: 7 }, { Size: 8 }],
      },
      '127.0.0.1:5000',
    );
    expect(summary).toEqual({
      images: { count: 3, bytes: 700, riseCount: 2, riseBytes: 300 },
      volumes: { count: 2, bytes: 10 },
      containers: { count: 1, bytes: 5 },
      buildCacheBytes: 15,
    });
  });
});
