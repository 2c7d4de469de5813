import { Option } from 'commander';
import { z } from 'zod';
import {
  SERVICE_ACCOUNT_ROLES,
  serviceAccountName,
} from '../../../../src/shared/service-accounts/service-account.schema';
import type { ApiInputs } from '../../lib/api';
import { zodParser } from '../../lib/arguments';
import { defineCommand, type ProjectArgs } from '../../lib/command-spec';
import { EXIT } from '../../lib/errors';
import { printJson, say } from '../../lib/output';
import { projectArgument } from '../../lib/project';
import { claimPair, claimRules, defaultServiceAccountName, describeClaims } from './claims';

export type CreateArgs = ProjectArgs & {
  issuer: string;
  claim?: [string, string][];
  role: (typeof SERVICE_ACCOUNT_ROLES)[number];
  name?: string;
};

/** What `rise sa create` sends, checked before anything is sent (usage errors, exit 2). */
export function createRequest(options: CreateArgs): ApiInputs['serviceAccount']['create'] {
  const claims = claimRules(options.claim ?? []);
  return {
    project: projectArgument(options.project),
    name: options.name ?? defaultServiceAccountName(claims),
    issuer: options.issuer,
    claims,
    role: options.role,
  };
}

export const create = defineCommand<CreateArgs>({
  name: 'create',
  aliases: ['c'],
  summary: "let CI jobs act on a project with their issuer's JWT (RISE_TOKEN) instead of a stored secret",
  project: { argument: 'optional' },
  options: [
    new Option('--issuer <url>', 'the JWT issuer, e.g. https://token.actions.githubusercontent.com')
      .argParser(zodParser(z.url({ message: 'expected a URL such as https://gitlab.com' })))
      .makeOptionMandatory(),
    new Option(
      '--claim <name=value>',
      "a claim the JWT must carry with exactly this value; repeat it: 'aud' and at least one more",
    ).argParser(claimPair),
    new Option('--role <role>', 'what the CI job may do on the project')
      .choices(SERVICE_ACCOUNT_ROLES)
      .default('developer'),
    new Option(
      '--name <name>',
      'default: from the claims besides aud (repository=acme/app → acme-app)',
    ).argParser(zodParser(serviceAccountName)),
  ],
  async run(options, ctx) {
    const request = createRequest(options);
    const account = await ctx.api().serviceAccount.create.mutate(request);
    if (options.output === 'json') {
      printJson(account);
      return EXIT.ok;
    }
    say(
      `Created service account '${account.name}' (${account.id}) on '${request.project}' as ${account.role}: JWTs from ${account.issuer} with ${describeClaims(account.claims)} act as it.`,
    );
    say(
      `In CI, set RISE_TOKEN to the job's ID token for audience '${account.claims.aud}'; no rise login needed.`,
    );
    return EXIT.ok;
  },
});
