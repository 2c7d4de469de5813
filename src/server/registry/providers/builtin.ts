import { type CredentialSubject, signCredential } from '../registry-credential';
import type { RegistrySigningKey } from '../signing-key';
import type { RegistryCredentials, RegistryProject, RegistryProvider } from './types';

export type BuiltinProviderOptions = {
  host: string;
  issuer: string;
  ttlSeconds: number;
  signingKey: () => Promise<RegistrySigningKey>;
};

/**
 * Rise's own registry: the password is a signed credential for `repository:<project>:push,pull`, valid
 * at most 15 minutes, that Rise's token endpoint (/api/registry/token) exchanges for registry tokens.
 */
export class BuiltinRegistryProvider implements RegistryProvider {
  readonly kind = 'builtin';
  constructor(private readonly options: BuiltinProviderOptions) {}

  async credentials(project: RegistryProject, subject: CredentialSubject): Promise<RegistryCredentials> {
    const issued = await signCredential(
      await this.options.signingKey(),
      {
        subject,
        repository: project.name,
        actions: ['pull', 'push'],
        ttlSeconds: Math.min(this.options.ttlSeconds, 900),
      },
      this.options.issuer,
    );
    return { host: this.options.host, repository: project.name, ...issued };
  }
}
