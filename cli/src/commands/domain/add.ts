import { defineCommand, type ProjectArgs } from '../../lib/command-spec';
import { EXIT } from '../../lib/errors';
import { printJson, say } from '../../lib/output';
import { projectArgument } from '../../lib/project';
import { proofInstructions } from './proof-instructions';

export const add = defineCommand<ProjectArgs & { hostname: string }>({
  name: 'add',
  arguments: [{ name: 'hostname', required: true }],
  project: {},
  async run(options, ctx) {
    const { hostname } = options;
    const project = projectArgument(options.project);
    const domains = await ctx.api().domain.add.mutate({ project, hostname });
    if (options.output === 'json') {
      printJson(domains);
      return EXIT.ok;
    }
    const added = domains.find((domain) => domain.hostname === hostname.trim().toLowerCase());
    if (!added || added.status === 'verified') {
      say(`Added ${hostname} to '${project}' (verified). TLS follows on the first request.`);
      return EXIT.ok;
    }
    say(`Added ${hostname} to '${project}', pending: it gets no route until you prove it is yours.`);
    say(proofInstructions(added, project));
    return EXIT.ok;
  },
});
