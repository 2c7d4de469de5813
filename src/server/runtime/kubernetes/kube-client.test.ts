import { KubeConfig } from '@kubernetes/client-node';
import { describe, expect, it, vi } from 'vitest';
import { lazyKubeApis } from './kube-client';

function clusterConfig(): KubeConfig {
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: [{ name: 'test', server: 'https://127.0.0.1:6443' }],
    users: [{ name: 'test', token: 'token' }],
    contexts: [{ name: 'test', cluster: 'test', user: 'test' }],
    currentContext: 'test',
  });
  return config;
}

describe('lazyKubeApis', () => {
  it('loads the config once and shares the APIs between calls', async () => {
    const load = vi.fn(async () => clusterConfig());
    const apis = lazyKubeApis(load);
    const first = await apis();
    expect(await apis()).toBe(first);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('tries again after a failed load instead of repeating its rejection', async () => {
    const load = vi
      .fn<() => Promise<KubeConfig>>()
      .mockRejectedValueOnce(new Error('no kubeconfig'))
      .mockResolvedValue(clusterConfig());
    const apis = lazyKubeApis(load);
    await expect(apis()).rejects.toThrow('no kubeconfig');
    await expect(apis()).resolves.toHaveProperty('core');
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('takes an already loaded config as it is', async () => {
    await expect(lazyKubeApis(clusterConfig())()).resolves.toHaveProperty('apps');
  });
});
