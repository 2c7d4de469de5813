import { defineCommand, type ProjectArgs } from '../../lib/command-spec';
import { EXIT } from '../../lib/errors';
import { printJson, say } from '../../lib/output';
import { accountArguments, isAccountReference } from './account-arguments';

export const remove = defineCommand<ProjectArgs & { id?: string }>({
  name: 'delete',
  aliases: ['rm'],
  summary: 'delete a service account: its JWTs are refused from the next request on',
  project: { argument: 'optional' },
  arguments: [
    { name: 'id', description: 'the service account: its id or name', matches: isAccountReference },
  ],
  async run(options, ctx) {
    const { project, account } = accountArguments(options.project, options.id, 'rm');
    const api = ctx.api();
    // The API deletes by name; the id or name given resolves to it first.
    const { name } = await api.serviceAccount.show.query({ project, serviceAccount: account });
    const result = await api.serviceAccount.delete.mutate({ project, name });
    if (options.output === 'json') printJson(result);
    else say(`Deleted service account '${name}' of '${project}'; CI jobs using it can no longer act on it.`);
    return EXIT.ok;
  },
});
