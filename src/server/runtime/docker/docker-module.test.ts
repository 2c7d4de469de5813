import { describe, expect, it } from 'vitest';
import { parseEnv } from '@/env';
import { dockerModule } from './docker-module';

describe('dockerModule', () => {
  const env = (overrides: Record<string, string>) =>
    parseEnv({ RISE_URL: 'https://rise.example.com', ...overrides });

  it('reads its networks from RISE_DOCKER_* and the instance id', () => {
    expect(dockerModule.settings(env({ RISE_INSTANCE_ID: 'blue' }))).toMatchObject({
      instance: 'blue',
      network: 'rise-apps.blue',
      formerNetwork: 'rise-apps',
      subnetPool: null,
      attachContainers: [],
      upstreamMode: 'host',
    });
    expect(
      dockerModule.settings(
        env({
          RISE_DOCKER_NETWORK: 'apps',
          RISE_DOCKER_ATTACH_CONTAINERS: 'caddy,worker',
          RISE_PROXY_UPSTREAM_MODE: 'network',
        }),
      ),
    ).toMatchObject({
      instance: 'rise',
      network: 'apps',
      formerNetwork: null,
      attachContainers: ['caddy', 'worker'],
      upstreamMode: 'network',
    });
  });

  it('is reconciled even without projects and checks host ports; it keeps the engine upstream mode', () => {
    expect(dockerModule.alwaysReconcile).toBe(true);
    expect(dockerModule.hostPorts).toBeTypeOf('function');
    expect(dockerModule.engineSettings).toBeUndefined();
    expect(dockerModule.deleteProject).toBeUndefined();
  });
});
