import { hmacHeaderMatches } from '../signature';
import type { GitForge } from './git-forge';
import { parseGithubLike } from './github';

// https://docs.gitea.com/usage/webhooks (Forgejo sends the same headers, and X-Forgejo-* twins).
const header = (headers: { get(name: string): string | null }, suffix: string) =>
  headers.get(`x-gitea-${suffix}`) ?? headers.get(`x-forgejo-${suffix}`);

export const gitea: GitForge = {
  name: 'gitea',
  verify: (headers, body, secret) => hmacHeaderMatches(header(headers, 'signature'), '', secret, body),
  deliveryId: (headers) => header(headers, 'delivery'),
  eventName: (headers) => header(headers, 'event'),
  parse: parseGithubLike,
};
