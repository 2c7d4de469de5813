import { describe, expect, it } from 'vitest';
import { deploymentStatus } from '../deployments/deployment.schema';
import { expiredImages, type RetentionDeployment } from './image-retention';

const at = (minute: number) => new Date(Date.UTC(2026, 11, 1, 12, minute));
const deployment = (
  id: string,
  minute: number,
  digest: string | null,
  status: RetentionDeployment['status'] = 'superseded',
): RetentionDeployment => ({
  id,
  status,
  image: digest ? `127.0.0.1:5000/app:${id}` : null,
  imageDigest: digest,
  createdAt: at(minute),
});

describe('expiredImages', () => {
  it('keeps the images of the newest deployments and expires the rest, oldest deployment first named', () => {
    const list = [1, 2, 3, 4, 5].map((n) => deployment(`d${n}`, n, `sha256:${n}`));
    const { kept, expired } = expiredImages(list, 2, new Set());
    expect(kept).toEqual(['d5', 'd4']);
    expect(expired.map((image) => image.digest)).toEqual(['sha256:3', 'sha256:2', 'sha256:1']);
    expect(expired[0]).toEqual({ digest: 'sha256:3', image: '127.0.0.1:5000/app:d3', deploymentIds: ['d3'] });
  });

  it('keeps the active deployments (project and groups) and those in progress or running, however old', () => {
    const list = [
      deployment('old-active', 1, 'sha256:a'),
      deployment('old-group-active', 2, 'sha256:g'),
      deployment('old-running', 3, 'sha256:r', 'healthy'),
      deployment('old-pushing', 4, 'sha256:p', 'pushed'),
      deployment('old-failed', 5, 'sha256:f', 'failed'),
      deployment('new', 6, 'sha256:n'),
    ];
    const { kept, expired } = expiredImages(list, 1, new Set(['old-active', 'old-group-active']));
    expect(kept.sort()).toEqual(['new', 'old-active', 'old-group-active', 'old-pushing', 'old-running']);
    expect(expired.map((image) => image.digest)).toEqual(['sha256:f']);
  });

  it('keeps every deployment not finished (building, deploying, live, ending) and expires finished ones', () => {
    const statuses = deploymentStatus.options;
    const finished = ['cancelled', 'stopped', 'superseded', 'failed', 'expired'];
    const list = statuses.map((status, index) => deployment(status, index, `sha256:${status}`, status));
    const { kept } = expiredImages([...list, deployment('newest', 99, 'sha256:newest')], 1, new Set());
    expect(kept.sort()).toEqual(
      ['newest', ...statuses.filter((status) => !finished.includes(status))].sort(),
    );
  });

  it('never expires a digest a kept deployment shares (a rollback deploys the same image again)', () => {
    const list = [
      deployment('first', 1, 'sha256:x'),
      deployment('second', 2, 'sha256:y'),
      deployment('rollback-to-first', 3, 'sha256:x'),
    ];
    const { expired } = expiredImages(list, 1, new Set());
    expect(expired).toEqual([
      { digest: 'sha256:y', image: '127.0.0.1:5000/app:second', deploymentIds: ['second'] },
    ]);
  });

  it('ignores deployments without an image; two deployments of one expired digest are named together', () => {
    const list = [
      deployment('failed-build', 9, null, 'failed'),
      deployment('a', 1, 'sha256:1'),
      deployment('b', 2, 'sha256:1'),
      deployment('c', 3, 'sha256:3'),
    ];
    const { kept, expired } = expiredImages(list, 1, new Set());
    expect(kept).toEqual(['c']);
    expect(expired).toEqual([
      { digest: 'sha256:1', image: '127.0.0.1:5000/app:b', deploymentIds: ['b', 'a'] },
    ]);
  });
});
