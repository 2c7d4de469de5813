import { ECRClient } from '@aws-sdk/client-ecr';
import { env } from '@/env';
import { registrySigningKey } from '../config';
import { BuiltinRegistryProvider } from './builtin';
import { EcrRegistryProvider } from './ecr';
import type { RegistryProvider } from './types';

let provider: RegistryProvider | null = null;

/** The provider RISE_REGISTRY_PROVIDER selects, built once. */
export function registryProvider(): RegistryProvider {
  provider ??=
    env.RISE_REGISTRY_PROVIDER === 'ecr'
      ? new EcrRegistryProvider({
          client: new ECRClient(env.RISE_ECR_REGION ? { region: env.RISE_ECR_REGION } : {}),
          registryId: env.RISE_ECR_REGISTRY_ID,
          repositoryPrefix: env.RISE_ECR_REPOSITORY_PREFIX,
        })
      : new BuiltinRegistryProvider({
          host: env.RISE_REGISTRY_HOST,
          issuer: env.RISE_REGISTRY_ISSUER,
          ttlSeconds: env.RISE_REGISTRY_CREDENTIAL_TTL_SECONDS,
          signingKey: registrySigningKey,
        });
  return provider;
}
