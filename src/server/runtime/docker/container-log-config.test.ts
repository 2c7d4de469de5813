import { describe, expect, it } from 'vitest';
import { labelKeys } from '@/server/docker/labels';
import { containerCreateOptions } from './container-spec';

describe('app container logs', () => {
  it('rotate locally whatever the daemon default: json-file, at most 3 files of 10 MB (30 MB per container)', () => {
    const options = containerCreateOptions(
      'rise-shop-x',
      {
        project: 'shop',
        deploymentId: '20261122-0132-k3f9',
        slot: 'a',
        image: 'shop@sha256:abc',
        port: 3001,
        env: {},
        cpuLimit: null,
        memoryLimitMb: null,
        hostPort: null,
      },
      { network: 'rise-apps-shop', labels: labelKeys('dev.rise', 'rise'), extraLabels: {} },
    );
    expect(options.HostConfig?.LogConfig).toEqual({
      Type: 'json-file',
      Config: { 'max-size': '10m', 'max-file': '3' },
    });
  });
});
