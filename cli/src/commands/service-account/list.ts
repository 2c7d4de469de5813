import { defineCommand, type ProjectArgs } from '../../lib/command-spec';
import { EXIT } from '../../lib/errors';
import { formatTime } from '../../lib/format';
import { printJson, printTable, say } from '../../lib/output';
import { projectArgument } from '../../lib/project';
import { describeClaims } from './claims';

export const list = defineCommand<ProjectArgs>({
  name: 'ls',
  aliases: ['list'],
  summary: "a project's service accounts",
  project: { argument: 'optional' },
  async run(options, ctx) {
    const project = projectArgument(options.project);
    const accounts = await ctx.api().serviceAccount.list.query({ project });
    if (options.output === 'json') {
      printJson(accounts);
      return EXIT.ok;
    }
    if (accounts.length === 0) {
      say(
        `No service accounts on '${project}': rise sa create ${project} --issuer https://token.actions.githubusercontent.com --claim aud=rise --claim repository=acme/app`,
      );
      return EXIT.ok;
    }
    printTable(
      [
        { title: 'ID', width: 28 },
        { title: 'NAME', width: 20 },
        { title: 'ROLE', width: 11 },
        { title: 'CREATED', width: 22 },
        { title: 'ISSUER', width: 40 },
        { title: 'CLAIMS', width: 0 },
      ],
      accounts.map((account) => [
        account.id,
        account.name,
        account.role,
        formatTime(account.createdAt),
        account.issuer,
        describeClaims(account.claims),
      ]),
    );
    return EXIT.ok;
  },
});
