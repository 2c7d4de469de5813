import type Dockerode from 'dockerode';
import { describe, expect, it } from 'vitest';
import { ProjectNetworks } from './docker-network';
import { labelKeys } from './labels';

// The Docker API surface `ensure` uses, answering as the engine does while a deleted database's
// container is being removed: listed, but refused when connected ("marked for removal").
const keys = labelKeys('dev.rise', 'rise');
const networkLabels = { [keys.managedBy]: 'rise', [keys.project]: 'shop' };

function engine(connectAnswer: (container: string) => Error | null) {
  const connected: string[] = [];
  const docker = {
    listNetworks: async () => [
      { Id: 'net1', Name: 'rise-apps-shop', Created: '2026-01-01T00:00:00Z', Labels: networkLabels },
    ],
    getNetwork: () => ({
      inspect: async () => ({ Containers: {} }),
      connect: async ({ Container }: { Container: string }) => {
        const error = connectAnswer(Container);
        if (error) throw error;
        connected.push(Container);
      },
    }),
    listContainers: async () => [
      {
        Id: 'gone',
        Names: ['/redis'],
        Labels: { [keys.managedBy]: 'rise', [keys.project]: 'shop', [keys.database]: 'redis' },
      },
      {
        Id: 'kept',
        Names: ['/postgres'],
        Labels: { [keys.managedBy]: 'rise', [keys.project]: 'shop', [keys.database]: 'postgres' },
      },
    ],
  };
  return { docker: docker as unknown as Dockerode, connected };
}

const removing = () =>
  Object.assign(
    new Error(
      '(HTTP code 500) server error - Container gone is marked for removal and cannot be connected or disconnected to the network',
    ),
    {
      statusCode: 500,
      json: {
        message:
          'Container gone is marked for removal and cannot be connected or disconnected to the network',
      },
    },
  );

describe('ProjectNetworks.ensure', () => {
  it('skips a project container that is being removed, and connects the others', async () => {
    const { docker, connected } = engine((container) => (container === 'gone' ? removing() : null));
    const networks = new ProjectNetworks({ docker, base: 'rise-apps', labels: keys });
    await expect(networks.ensure('shop')).resolves.toBe('rise-apps-shop');
    expect(connected).toEqual(['kept']);
  });

  it('still fails on any other refusal to connect', async () => {
    const { docker } = engine(() =>
      Object.assign(new Error('(HTTP code 500) server error - boom'), { statusCode: 500 }),
    );
    const networks = new ProjectNetworks({ docker, base: 'rise-apps', labels: keys });
    await expect(networks.ensure('shop')).rejects.toThrow(/boom/);
  });
});
