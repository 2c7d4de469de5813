import {
  CreateRepositoryCommand,
  DescribeRepositoriesCommand,
  type ECRClient,
  GetAuthorizationTokenCommand,
  RepositoryAlreadyExistsException,
  RepositoryNotFoundException,
} from '@aws-sdk/client-ecr';
import type { CredentialSubject } from '../registry-credential';
import type { RegistryCredentials, RegistryProject, RegistryProvider } from './types';

export type EcrProviderOptions = {
  /** A configured client (region, credentials from the default AWS chain); tests pass a mocked one. */
  client: ECRClient;
  /** The AWS account of the registry; unset = the caller's own. */
  registryId?: string;
  /** Prepended to the project name, e.g. `rise/` gives repository `rise/<project>`. */
  repositoryPrefix: string;
};

/**
 * AWS ECR: one repository per project (created when missing, tagged with the project), credentials from
 * GetAuthorizationToken. ECR decides their lifetime (12 hours) and scope (the whole registry, for what
 * the AWS identity of Rise may do); they are not narrowed to one repository the way built-in ones are.
 */
export class EcrRegistryProvider implements RegistryProvider {
  readonly kind = 'ecr';
  constructor(private readonly options: EcrProviderOptions) {}

  repositoryName(project: RegistryProject): string {
    return `${this.options.repositoryPrefix}${project.name}`;
  }

  private async ensureRepository(name: string, project: RegistryProject): Promise<void> {
    const { client, registryId } = this.options;
    try {
      await client.send(new DescribeRepositoriesCommand({ registryId, repositoryNames: [name] }));
      return;
    } catch (error) {
      if (!(error instanceof RepositoryNotFoundException)) throw error;
    }
    try {
      await client.send(
        new CreateRepositoryCommand({
          registryId,
          repositoryName: name,
          imageTagMutability: 'MUTABLE',
          imageScanningConfiguration: { scanOnPush: true },
          tags: [
            { Key: 'rise.project', Value: project.name },
            { Key: 'rise.project-id', Value: project.id },
          ],
        }),
      );
    } catch (error) {
      // Another request created it first.
      if (!(error instanceof RepositoryAlreadyExistsException)) throw error;
    }
  }

  async credentials(project: RegistryProject, _subject: CredentialSubject): Promise<RegistryCredentials> {
    const repository = this.repositoryName(project);
    await this.ensureRepository(repository, project);
    const { registryId } = this.options;
    const response = await this.options.client.send(
      new GetAuthorizationTokenCommand(registryId ? { registryIds: [registryId] } : {}),
    );
    const data = response.authorizationData?.[0];
    if (!data?.authorizationToken || !data.proxyEndpoint)
      throw new Error('ECR GetAuthorizationToken returned no authorization data');
    const decoded = Buffer.from(data.authorizationToken, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon === -1) throw new Error('ECR authorization token is not user:password');
    return {
      host: new URL(data.proxyEndpoint).host,
      username: decoded.slice(0, colon),
      password: decoded.slice(colon + 1),
      expiresAt: data.expiresAt ?? new Date(Date.now() + 12 * 3_600_000),
      repository,
    };
  }
}
