import { describe, expect, it } from 'vitest';
import { labelKeys } from '@/server/docker/labels';
import type { InstanceRef, InstanceSpec, OneOffSpec } from '../types';
import { containerCreateOptions, oneOffCreateOptions } from './container-spec';
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

const create = (s: InstanceSpec & Partial<InstanceRef>) =>
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

  it('names web replicas by their alias and labels; a worker gets no alias the proxy could dial', () => {
    const aliases = (options: ReturnType<typeof create>) =>
      options.NetworkingConfig?.EndpointsConfig?.['rise-apps-shop']?.Aliases;
    const primary = create(spec());
    expect(aliases(primary)).toEqual(['rise-shop-a']);
    expect(primary.Labels?.['dev.rise.process']).toBeUndefined();
    const second = create({ ...spec({ hostPort: 20005 }), process: 'web', replica: 2 });
    expect(aliases(second)).toEqual(['rise-shop-a-2']);
    expect(second.Labels).toMatchObject({ 'dev.rise.process': 'web', 'dev.rise.replica': '2' });
    const worker = create({
      ...spec({ hostPort: null, command: ['node', 'worker.js'] }),
      process: 'worker',
      replica: 0,
    });
    expect(aliases(worker)).toBeUndefined();
    expect(worker.HostConfig?.PortBindings).toBeUndefined();
    expect(worker.Entrypoint).toEqual(['node', 'worker.js']);
    expect(worker.Labels).toMatchObject({ 'dev.rise.process': 'worker', 'dev.rise.replica': '0' });
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

describe('start command', () => {
  it("replaces the image's ENTRYPOINT (and with it its CMD); absent, the image's own run", () => {
    const command = ['/bin/sh', '-c', 'node server.js'];
    expect(create(spec({ command })).Entrypoint).toEqual(command);
    expect(create(spec({ command })).Cmd).toBeUndefined();
    expect(create(spec()).Entrypoint).toBeUndefined();
    expect(create(spec({ command: [] })).Entrypoint).toBeUndefined();
  });
});

describe('oneOffCreateOptions', () => {
  const oneOff: OneOffSpec = {
    kind: 'release',
    id: '20261122-0132-k3f9-release',
    project: 'shop',
    deploymentId: '20261122-0132-k3f9',
    image: 'shop@sha256:abc',
    port: 3001,
    env: { DATABASE_URL: 'postgres://u:p@db/shop' },
    cpuLimit: 0.5,
    memoryLimitMb: 256,
    command: ['/bin/sh', '-c', 'npm run migrate'],
  };
  const options = oneOffCreateOptions('rise-shop-x-release', oneOff, {
    network: 'rise-apps-shop',
    labels: labelKeys('dev.rise', 'rise'),
    extraLabels: { 'rise.test': 'run-1' },
  });

  it("runs the command with the app's env, network, limits and hardening", () => {
    expect(options.Entrypoint).toEqual(['/bin/sh', '-c', 'npm run migrate']);
    expect(options.Env).toEqual(['DATABASE_URL=postgres://u:p@db/shop', 'PORT=3001']);
    expect(options.HostConfig).toMatchObject({
      NetworkMode: 'rise-apps-shop',
      NanoCpus: 500_000_000,
      Memory: 256 * 1024 * 1024,
      MemorySwap: 256 * 1024 * 1024,
      Init: true,
      CapDrop: ['NET_RAW'],
      RestartPolicy: { Name: 'no' },
    });
  });

  it('publishes nothing and carries no slot, so it is never taken for an instance', () => {
    expect(options.HostConfig?.PortBindings).toBeUndefined();
    expect(options.NetworkingConfig).toBeUndefined();
    expect(options.Labels).toEqual({
      'rise.test': 'run-1',
      'dev.rise.managed-by': 'rise',
      'dev.rise.project': 'shop',
      'dev.rise.deployment': '20261122-0132-k3f9',
      'dev.rise.one-off': 'release',
    });
  });
});
