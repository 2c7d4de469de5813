import { Command, InvalidArgumentError, Option } from 'commander';
import { login, logout, whoami } from './commands/auth';
import { completionScript } from './commands/completion';
import {
  createDeployment,
  listDeployments,
  logs,
  rollback,
  showDeployment,
  stop,
} from './commands/deployment';
import { addDomain, listDomains, removeDomain } from './commands/domain';
import { listEnv, removeEnv, setEnv } from './commands/env';
import { createProject, deleteProject, listProjects, showProject, updateProject } from './commands/project';
import { createTeam, deleteTeam, listTeams, showTeam, updateTeam } from './commands/team';
import { EXIT, fromApiError } from './lib/errors';
import { say } from './lib/output';

const integer = (value: string) => {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0) throw new InvalidArgumentError('expected a whole number');
  return number;
};
const collect = (value: string, previous: string[] = []) => [...previous, value];
const output = () =>
  new Option('-o, --output <format>', 'table or json').choices(['table', 'json']).default('table');
const url = () =>
  new Option('--url <url>', 'Rise URL (default: RISE_URL, the stored login, or http://localhost:3000)');

/** Runs a command action; errors become a message on stderr and a meaningful exit code. */
const run =
  <A extends unknown[]>(action: (...args: A) => Promise<void> | void) =>
  async (...args: A) => {
    try {
      await action(...args);
    } catch (error) {
      const failure = fromApiError(error);
      say(failure.message);
      process.exitCode = failure.exitCode;
    }
  };

export function buildProgram(): Command {
  const program = new Command('rise')
    .description('Deploy container apps with Rise')
    .showHelpAfterError()
    .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : EXIT.usage));

  program
    .command('login')
    .description('log in with your browser (device flow), or with --token')
    .addOption(url())
    .option('--token <token>', 'an API token, for CI')
    .action(run(login));
  program.command('logout').description('forget the stored login').action(run(logout));
  program
    .command('whoami')
    .description('show who you are logged in as')
    .addOption(url())
    .addOption(output())
    .action(run(whoami));

  const project = program.command('project').alias('p').description('manage projects');
  project
    .command('create <name>')
    .aliases(['c', 'new'])
    .description('create a project')
    .addOption(url())
    .addOption(output())
    .addOption(new Option('--visibility <visibility>').choices(['public', 'private']).default('public'))
    .option('--owner <owner>', 'user:<name> or team:<name> (default: you)')
    .addOption(new Option('--runtime <runtime>', 'where it runs').choices(['docker', 'kubernetes']))
    .action(run(createProject));
  project
    .command('list')
    .aliases(['ls', 'l'])
    .description('list your projects')
    .addOption(url())
    .addOption(output())
    .option('--all', 'every project (platform admins)')
    .action(run(listProjects));
  project
    .command('show <name>')
    .alias('s')
    .description('show a project')
    .addOption(url())
    .addOption(output())
    .action(run(showProject));
  project
    .command('update <name>')
    .aliases(['u', 'edit'])
    .description('change settings or transfer')
    .addOption(url())
    .addOption(output())
    .addOption(new Option('--visibility <visibility>').choices(['public', 'private']))
    .option('--owner <owner>')
    .option('--port <port>', 'port the app listens on', integer)
    .option('--health-path <path>')
    .addOption(
      new Option('--runtime <runtime>', 'takes effect at the next deployment').choices([
        'docker',
        'kubernetes',
      ]),
    )
    .action(run(updateProject));
  project
    .command('delete <name>')
    .aliases(['del', 'rm'])
    .description('delete a project and its deployments')
    .addOption(url())
    .addOption(output())
    .action(run(deleteProject));

  const team = program.command('team').alias('t').description('manage teams');
  team
    .command('create <name>')
    .aliases(['c', 'new'])
    .addOption(url())
    .addOption(output())
    .action(run(createTeam));
  team
    .command('list')
    .aliases(['ls', 'l'])
    .addOption(url())
    .addOption(output())
    .option('--all')
    .action(run(listTeams));
  team.command('show <name>').alias('s').addOption(url()).addOption(output()).action(run(showTeam));
  team
    .command('update <name>')
    .aliases(['u', 'edit'])
    .addOption(url())
    .addOption(output())
    .option('--add <user=role>', 'add or change a member, e.g. user:alice=developer', collect)
    .option('--remove <user>', 'remove a member, e.g. user:bob', collect)
    .action(run(updateTeam));
  team
    .command('delete <name>')
    .aliases(['del', 'rm'])
    .addOption(url())
    .addOption(output())
    .action(run(deleteTeam));

  const deployment = program.command('deployment').alias('d').description('deploy, roll back and stop');
  deployment
    .command('create [project]')
    .aliases(['c', 'new'])
    .description('deploy (project from .rise.toml if omitted)')
    .addOption(url())
    .addOption(output())
    .option('--image <ref>', 'deploy a pre-built image instead of building')
    .option('--path <dir>', 'the app directory (default: .)')
    .option('--backend <backend>', 'auto|dockerfile|buildpacks|nixpacks|railpack')
    .option('--verbose', 'show the build output')
    .option('--no-follow', 'return once queued')
    .option('--timeout <seconds>', 'give up following after', integer, 600)
    .action(run(createDeployment));
  deployment
    .command('list [project]')
    .aliases(['ls', 'l'])
    .addOption(url())
    .addOption(output())
    .option('--limit <n>', 'how many', integer, 20)
    .action(run(listDeployments));
  deployment
    .command('show [project] <deployment>')
    .alias('s')
    .addOption(url())
    .addOption(output())
    .action(run(showDeployment));
  deployment
    .command('rollback [project] [deployment]')
    .description('redeploy an earlier digest (default: the previous one)')
    .addOption(url())
    .addOption(output())
    .action(run(rollback));
  deployment.command('stop [project]').addOption(url()).addOption(output()).action(run(stop));
  deployment
    .command('logs [project]')
    .description("the app's output (or --events: the deployment's events)")
    .addOption(url())
    .addOption(output())
    .option('--deployment <id>', 'default: the active one')
    .option('-f, --follow', 'keep streaming', false)
    .option('--events', 'deploy events instead of app output', false)
    .option('--tail <n>', 'lines of history', integer, 200)
    .action(run(logs));
  const env = program.command('env').description('environment variables of a project');
  env
    .command('set <pairs...>')
    .description('set KEY=value pairs')
    .addOption(url())
    .addOption(output())
    .option('--project <name>', 'default: from .rise.toml')
    .option('--secret', 'store encrypted; never shown again')
    .action(run((pairs: string[], options) => setEnv(pairs, options)));
  env
    .command('ls')
    .alias('list')
    .addOption(url())
    .addOption(output())
    .option('--project <name>')
    .action(run(listEnv));
  env
    .command('rm <key>')
    .alias('remove')
    .addOption(url())
    .addOption(output())
    .option('--project <name>')
    .action(run(removeEnv));

  const domain = program.command('domain').description('custom domains of a project');
  domain
    .command('add <hostname>')
    .addOption(url())
    .addOption(output())
    .option('--project <name>')
    .action(run(addDomain));
  domain
    .command('ls')
    .alias('list')
    .addOption(url())
    .addOption(output())
    .option('--project <name>')
    .action(run(listDomains));
  domain
    .command('rm <hostname>')
    .alias('remove')
    .addOption(url())
    .addOption(output())
    .option('--project <name>')
    .action(run(removeDomain));

  program
    .command('completion [shell]')
    .description('print a shell completion script (bash or zsh)')
    .action(run((shell?: string) => void process.stdout.write(completionScript(program, shell ?? 'bash'))));
  return program;
}

await buildProgram().parseAsync(process.argv);
