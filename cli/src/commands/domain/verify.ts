import { defineCommand, type ProjectArgs } from '../../lib/command-spec';
import { CliError, EXIT } from '../../lib/errors';
import { printJson, say } from '../../lib/output';
import { projectArgument } from '../../lib/project';
import { proofInstructions } from './proof-instructions';

export const verify = defineCommand<ProjectArgs & { hostname: string }>({
  name: 'verify',
  summary: 'check the proof of a pending domain (TXT record or HTTP token) now',
  arguments: [{ name: 'hostname', required: true }],
  project: {},
  async run(options, ctx) {
    const project = projectArgument(options.project);
    const domain = await ctx.api().domain.verify.mutate({ project, hostname: options.hostname });
    if (options.output === 'json') printJson(domain);
    if (domain.status === 'verified') {
      if (options.output !== 'json') say(`${domain.hostname} is verified: Rise routes it to '${project}'.`);
      return EXIT.ok;
    }
    if (options.output !== 'json') say(proofInstructions(domain, project));
    throw new CliError(
      `${domain.hostname} is still pending: ${domain.lastCheckError ?? 'no proof found yet'}`,
      EXIT.failure,
    );
  },
});
