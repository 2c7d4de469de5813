import { describe, expect, it } from 'vitest';
import { labelKeys } from '@/server/docker/labels';
import type { InstanceSpec } from '../types';
import { containerCreateOptions } from './container-spec';
import { readHostPortsLabel } from './instance-labels';

const spec = (overrides: Partial<InstanceSpec> = {}): InstanceSpec => ({
  project: 'shop',
  deploymentId: '20261122-0132-k3f9',
  slot: 'a',
  image: 'shop@sha256:abc',
  port: 3001,
  env: { DATABASE_URL: 'postgres://u:p@db/shop' },
  cpuLimit: null,
  memoryLimitMb: null,
  hostPort: 20001,
  ...overrides,
});

const create = (s: InstanceSpec) =>
  containerCreateOptions('rise-shop-x', s, {
    network: 'rise-apps-shop',
    labels: labelKeys('dev.rise', 'rise'),
    extraLabels: {},
  });

describe('containerCreateOptions', () => {
  it('tells the app its port as PORT, the port it exposes and publishes', () => {
    const options = create(spec());
    expect(options.Env).toEqual(['DATABASE_URL=postgres://u:p@db/shop', 'PORT=3001']);
    expect(options.ExposedPorts).toEqual({ '3001/tcp': {} });
    expect(options.HostConfig?.PortBindings).toEqual({
      '3001/tcp': [{ HostIp: '127.0.0.1', HostPort: '20001' }],
    });
  });

  it("sets PORT once, to the instance's port, whatever PORT the env vars hold", () => {
    const env = create(spec({ env: { PORT: '9999' }, port: 3002 })).Env ?? [];
    expect(env.filter((entry) => entry.startsWith('PORT='))).toEqual(['PORT=3002']);
  });

  it("labels both of the project's slot ports, so installations sharing the engine leave them alone", () => {
    const labels = create(spec({ slotHostPorts: [20001, 20002] })).Labels ?? {};
    expect(labels['dev.rise.host-ports']).toBe('20001,20002');
    expect(readHostPortsLabel(labelKeys('dev.rise', 'another'), labels)).toEqual([20001, 20002]);
    expect(create(spec({ hostPort: null })).Labels).not.toHaveProperty('dev.rise.host-ports');
    expect(readHostPortsLabel(labelKeys(), { 'dev.rise.host-ports': '1,x' })).toEqual([]);
  });
});
