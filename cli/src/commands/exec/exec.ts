import { Option } from 'commander';
import { z } from 'zod';
import { MAX_REPLICAS, processName } from '../../../../src/shared/processes/process.schema';
import { requireToken } from '../../lib/api';
import { zodParser } from '../../lib/arguments';
import { defineCommand, type ProjectArgs } from '../../lib/command-spec';
import { resolveTarget } from '../../lib/config';
import { CliError, EXIT } from '../../lib/errors';
import { projectArgument } from '../../lib/project';
import { runExec } from './exec-client';

type ExecArgs = ProjectArgs & {
  command: string[];
  deployment?: string;
  process?: string;
  instance?: number;
  tty?: boolean;
};

const replicaNumber = z
  .string()
  .regex(/^\d+$/, { message: 'expected a replica number, as rise ps shows it (0, 1, …)' })
  .transform(Number)
  .pipe(z.number().max(MAX_REPLICAS - 1, { message: `expected a replica number below ${MAX_REPLICAS}` }));

/**
 * `rise exec PROJECT [--process NAME] [--instance N] -- CMD…`: the command runs in an instance of the
 * project's running version (default: web's replica 0) with this terminal's
 * input and output; its exit code is rise's. Needs `project:exec` (admins by default); audited.
 */
export const exec = defineCommand<ExecArgs>({
  name: 'exec',
  summary: "run a command in the project's running instance (exit code propagated)",
  examples: [
    'rise exec my-app -- sh                     # a shell (a terminal when yours is one)',
    'rise exec my-app -- node scripts/migrate.js',
    'echo \'select 1\' | rise exec my-app -- psql "$DATABASE_URL"',
    'rise exec my-app --process worker --instance 1 -- sh   # replica 1 of the worker (rise ps)',
  ],
  project: { argument: 'required' },
  arguments: [
    {
      name: 'command',
      required: true,
      variadic: true,
      description: 'the command and its arguments, after --',
    },
  ],
  options: [
    new Option('--deployment <id>', 'a deployment other than the active one (a preview)'),
    new Option('--process <name>', 'the process whose instance runs it (default: web)').argParser(
      zodParser(processName),
    ),
    new Option('--instance <n>', 'which replica of the process, as rise ps shows it (default: 0)').argParser(
      zodParser(replicaNumber),
    ),
    new Option('-t, --tty', 'a terminal (default: when stdin and stdout are terminals)'),
    new Option('-T, --no-tty', 'no terminal, even on one: separate stdout and stderr'),
  ],
  shared: ['url'],
  async run(options) {
    const project = projectArgument(options.project);
    if (options.command.length === 0)
      throw new CliError('Name a command: rise exec my-app -- sh', EXIT.usage);
    const { url, token } = resolveTarget(options);
    const tty = options.tty ?? Boolean(process.stdin.isTTY && process.stdout.isTTY);
    const raw = tty && process.stdin.isTTY;
    if (raw) process.stdin.setRawMode(true);
    try {
      return await runExec(
        {
          url,
          token: requireToken(token),
          project,
          deployment: options.deployment,
          process: options.process,
          replica: options.instance,
          cmd: options.command,
          tty,
          cols: tty ? process.stdout.columns : undefined,
          rows: tty ? process.stdout.rows : undefined,
        },
        {
          stdin: process.stdin,
          stdout: process.stdout,
          stderr: process.stderr,
          onResize: tty
            ? (listener) => {
                const onResize = () => listener(process.stdout.columns, process.stdout.rows);
                process.stdout.on('resize', onResize);
                return () => process.stdout.off('resize', onResize);
              }
            : undefined,
        },
      );
    } finally {
      if (raw) process.stdin.setRawMode(false);
    }
  },
});
