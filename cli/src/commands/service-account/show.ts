import { defineCommand, type ProjectArgs } from '../../lib/command-spec';
import { EXIT } from '../../lib/errors';
import { formatTime, printDetails } from '../../lib/format';
import { printJson } from '../../lib/output';
import { accountArguments, isAccountReference } from './account-arguments';
import { describeClaims } from './claims';

export const show = defineCommand<ProjectArgs & { id?: string }>({
  name: 'show',
  aliases: ['s'],
  summary: 'a service account: its issuer, the claims it requires and its role',
  project: { argument: 'optional' },
  arguments: [
    { name: 'id', description: 'the service account: its id or name', matches: isAccountReference },
  ],
  async run(options, ctx) {
    const { project, account } = accountArguments(options.project, options.id, 'show');
    const found = await ctx.api().serviceAccount.show.query({ project, serviceAccount: account });
    if (options.output === 'json') {
      printJson(found);
      return EXIT.ok;
    }
    printDetails([
      ['Service account', found.name],
      ['ID', found.id],
      ['Project', project],
      ['Role', found.role],
      ['Issuer', found.issuer],
      ['Claims', describeClaims(found.claims)],
      ['Created', formatTime(found.createdAt)],
    ]);
    return EXIT.ok;
  },
});
