import { z } from 'zod';
import { projectNameArgument } from '../../lib/arguments';
import { defineCommand, type ProjectArgs } from '../../lib/command-spec';
import { EXIT } from '../../lib/errors';
import { parseFlags } from '../../lib/flags';
import { formatTime } from '../../lib/format';
import { printList } from '../../lib/output';
import { projectArgument } from '../../lib/project';
import { LABELS } from './login-request';

export const list = defineCommand<ProjectArgs>({
  name: 'ls',
  aliases: ['list'],
  summary: "the project's registry logins (never their passwords)",
  project: {},
  async run(options, ctx) {
    const project = parseFlags(
      z.object({ project: projectNameArgument }),
      { project: projectArgument(options.project) },
      LABELS,
    ).project;
    const logins = await ctx.api().registryLogin.list.query({ project });
    printList(options.output, logins, {
      empty: `No registry logins on '${project}': images from public registries need none. For a private one: rise registry login <host> -p ${project} -u <user> --password-stdin`,
      table: (logins) => ({
        columns: [
          { title: 'HOST', width: 32 },
          { title: 'USERNAME', width: 20 },
          { title: 'UPDATED', width: 0 },
        ],
        rows: logins.map((login) => [login.host, login.username, formatTime(login.updatedAt)]),
      }),
    });
    return EXIT.ok;
  },
});
