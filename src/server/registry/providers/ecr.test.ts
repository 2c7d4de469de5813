import {
  CreateRepositoryCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
  RepositoryNotFoundException,
} from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { CredentialSubject } from '../registry-credential';
import { EcrRegistryProvider } from './ecr';

const ecr = mockClient(ECRClient);
const caller: CredentialSubject = { kind: 'user', userId: 'u1', username: 'alice' };
const project = { id: 'p1', name: 'shop' };
const expiresAt = new Date('2030-01-01T12:00:00Z');

function provider(registryId?: string) {
  return new EcrRegistryProvider({
    client: new ECRClient({ region: 'eu-west-1' }),
    registryId,
    repositoryPrefix: 'rise/',
  });
}

beforeEach(() => {
  ecr.reset();
  ecr.on(GetAuthorizationTokenCommand).resolves({
    authorizationData: [
      {
        authorizationToken: Buffer.from('AWS:secret-password').toString('base64'),
        expiresAt,
        proxyEndpoint: 'https://123456789012.dkr.ecr.eu-west-1.amazonaws.com',
      },
    ],
  });
});

describe('ECR registry provider', () => {
  it('creates the missing repository and returns decoded credentials', async () => {
    ecr
      .on(DescribeRepositoriesCommand)
      .rejects(new RepositoryNotFoundException({ message: 'not found', $metadata: {} }));
    ecr.on(CreateRepositoryCommand).resolves({ repository: { repositoryName: 'rise/shop' } });
    const credentials = await provider('123456789012').credentials(project, caller);
    expect(credentials).toEqual({
      host: '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
      username: 'AWS',
      password: 'secret-password',
      expiresAt,
      repository: 'rise/shop',
    });
    const create = ecr.commandCalls(CreateRepositoryCommand);
    expect(create).toHaveLength(1);
    expect(create[0]!.args[0].input).toMatchObject({
      registryId: '123456789012',
      repositoryName: 'rise/shop',
      tags: expect.arrayContaining([{ Key: 'rise.project', Value: 'shop' }]),
    });
    expect(ecr.commandCalls(GetAuthorizationTokenCommand)[0]!.args[0].input).toEqual({
      registryIds: ['123456789012'],
    });
  });

  it('does not create a repository that exists', async () => {
    ecr.on(DescribeRepositoriesCommand).resolves({ repositories: [{ repositoryName: 'rise/shop' }] });
    const credentials = await provider().credentials(project, caller);
    expect(credentials.repository).toBe('rise/shop');
    expect(ecr.commandCalls(CreateRepositoryCommand)).toHaveLength(0);
    expect(ecr.commandCalls(GetAuthorizationTokenCommand)[0]!.args[0].input).toEqual({});
  });

  it('fails clearly when ECR returns no authorization data', async () => {
    ecr.on(DescribeRepositoriesCommand).resolves({ repositories: [{ repositoryName: 'rise/shop' }] });
    ecr.on(GetAuthorizationTokenCommand).resolves({ authorizationData: [] });
    await expect(provider().credentials(project, caller)).rejects.toThrow(/no authorization data/);
  });
});
