import { Command, InvalidArgumentError, Option } from 'commander';
import { login, logout, whoami } from './commands/auth';
import { completionScript } from './commands/completion';
import {
  createDatabase,
  databaseUrl,
  deleteDatabase,
  linkDatabase,
  listDatabases,
  showDatabase,
  unlinkDatabase,
} from './commands/database';
import {
  addSchedule,
  listBackups,
  listDeletedBackups,
  listSchedules,
  removeSchedule,
  restoreDatabase,
  restoreDeletedDatabase,
  runBackup,
} from './commands/database-backup';
import { addDestination, listDestinations, removeDestination } from './commands/database-destination';
import {
  cancel,
  createDeployment,
  listDeployments,
  logs,
  rollback,
  showDeployment,
  start,
  stop,
} from './commands/deployment';
import { addDomain, listDomains, removeDomain, verifyDomain } from './commands/domain';
import { listEnv, removeEnv, setEnv } from './commands/env';
import { createProject, deleteProject, listProjects, showProject, updateProject } from './commands/project';
import { listRegistryLogins, registryLogin, registryLogout } from './commands/registry';
import { createTeam, deleteTeam, listTeams, showTeam, updateTeam } from './commands/team';
import { deploymentIdArgument, durationSeconds, projectNameArgument, zodParser } from './lib/arguments';
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
    .option('--search <text>', 'only projects whose name contains this')
    .option('--limit <n>', 'at most this many (default: all, fetched a page at a time)', integer)
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
    .option(
      '--timeout <duration>',
      `give up following after (90, 90s, 5m, 1h; exit code ${EXIT.timeout})`,
      zodParser(durationSeconds),
      600,
    )
    .action(run(createDeployment));
  deployment
    .command('list [project]')
    .aliases(['ls', 'l'])
    .description('deployments, newest first, with the digest each one runs')
    .addOption(url())
    .addOption(output())
    .option('--limit <n>', 'how many', integer, 20)
    .action(run(listDeployments));
  deployment
    .command('show [project] [deployment]')
    .alias('s')
    .description(
      `a deployment (default: the newest); --follow waits until it settles: exit 0 healthy, 1 failed or cancelled, ${EXIT.timeout} on --timeout`,
    )
    .addOption(url())
    .addOption(output())
    .option('-f, --follow', 'wait until the deployment is healthy, failed or cancelled', false)
    .option(
      '--timeout <duration>',
      `with --follow: give up after (90, 90s, 5m, 1h; exit code ${EXIT.timeout})`,
      zodParser(durationSeconds),
      600,
    )
    .action(run(showDeployment));
  deployment
    .command('start [project]')
    .description('run a stopped project again from its latest image (a new deployment)')
    .addOption(url())
    .addOption(output())
    .action(run(start));
  deployment
    .command('cancel')
    .description("cancel a deployment (default: the project's one in progress)")
    .argument('<project>', 'the project', zodParser(projectNameArgument))
    .argument(
      '[deployment]',
      "default: the project's deployment in progress",
      zodParser(deploymentIdArgument),
    )
    .addOption(url())
    .addOption(output())
    .action(run(cancel));
  deployment
    .command('rollback [project] [deployment]')
    .description('redeploy an earlier digest (default: the previous one)')
    .addOption(url())
    .addOption(output())
    .action(run(rollback));
  deployment
    .command('stop [project]')
    .description('stop the app; its URL answers a "stopped" page')
    .addOption(url())
    .addOption(output())
    .action(run(stop));
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
    .command('verify <hostname>')
    .description('check the proof of a pending domain (TXT record or HTTP token) now')
    .addOption(url())
    .addOption(output())
    .option('--project <name>')
    .action(run(verifyDomain));
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

  const registry = program
    .command('registry')
    .description("a project's logins to private image registries (Rise's own registry needs none)");
  registry
    .command('login <host>')
    .description('store the login the project pulls images from <host> with (encrypted; only it uses it)')
    .addOption(url())
    .addOption(output())
    .option('-p, --project <name>', 'default: from .rise.toml')
    .requiredOption('-u, --username <user>', 'the registry user name')
    .option('--password-stdin', 'read the password or token from stdin (default: ask on the terminal)')
    .action(run(registryLogin));
  registry
    .command('ls')
    .alias('list')
    .description("the project's registry logins (never their passwords)")
    .addOption(url())
    .addOption(output())
    .option('-p, --project <name>', 'default: from .rise.toml')
    .action(run(listRegistryLogins));
  registry
    .command('logout <host>')
    .alias('rm')
    .description("remove the project's login for <host>")
    .addOption(url())
    .addOption(output())
    .option('-p, --project <name>', 'default: from .rise.toml')
    .action(run(registryLogout));

  const db = program.command('db').alias('database').description('managed databases and their backups');
  /** A `rise db` subcommand with the options they all take. */
  const dbCommand = (parent: Command, spec: string) =>
    parent
      .command(spec)
      .addOption(url())
      .addOption(output())
      .option('--project <name>', 'default: from .rise.toml');
  dbCommand(db, 'create <name>')
    .aliases(['c', 'new'])
    .description('create a database and link it to the project')
    .addOption(
      new Option('--engine <engine>', 'database engine')
        .choices(['postgres', 'mariadb', 'redis'])
        .makeOptionMandatory(),
    )
    .option('--env-prefix <prefix>', 'env var prefix, e.g. DATABASE gives DATABASE_URL (default: by engine)')
    .option('--no-link', 'do not give the project its env vars')
    .option('--cpu <cpus>', 'CPU limit, e.g. 0.5')
    .option('--memory <mib>', 'memory limit in MiB (or 1G)')
    .option('--wait', 'wait until it runs', false)
    .option('--timeout <seconds>', 'give up waiting after', integer, 600)
    .action(run(createDatabase));
  dbCommand(db, 'list')
    .aliases(['ls', 'l'])
    .description("the project's databases")
    .action(run(listDatabases));
  dbCommand(db, 'show <name>')
    .alias('s')
    .description('a database, its backup schedules and recent backups')
    .action(run(showDatabase));
  dbCommand(db, 'link <name>')
    .description('give the project its env vars (redeploy to apply)')
    .option('--env-prefix <prefix>', 'default: DATABASE, or REDIS for redis')
    .action(run(linkDatabase));
  dbCommand(db, 'unlink <name>')
    .description('take its env vars away from the project (redeploy to apply)')
    .action(run(unlinkDatabase));
  dbCommand(db, 'url <name>')
    .description('print the connection URL, password included (audited)')
    .action(run(databaseUrl));
  dbCommand(db, 'delete <name>')
    .aliases(['del', 'rm'])
    .description('delete a database and its data')
    .option('-y, --yes', 'do not ask (required when stdin is not a terminal)')
    .action(run(deleteDatabase));
  dbCommand(db, 'backup <name>')
    .description('back up a database now')
    .option('--destination <name>', 'where to (default: local)')
    .option('--encrypt', 'encrypt the archive with the server key', false)
    .option('--wait', 'wait until it finished', false)
    .option('--timeout <seconds>', 'give up waiting after', integer, 3600)
    .action(run(runBackup));
  dbCommand(db, 'backups <name>')
    .description('backup history, newest first')
    .option('--limit <n>', 'how many', integer, 50)
    .action(run(listBackups));
  dbCommand(db, 'restore <name> <backup-id>')
    .description('restore a backup: in place (overwrites!), --into a new database, or --drill to verify it')
    .addOption(new Option('--into <new-db-name>', 'restore into a new database instead').conflicts('drill'))
    .option('--drill', 'restore into a scratch copy and compare row counts; changes nothing')
    .option('-y, --yes', 'do not ask before overwriting (required when stdin is not a terminal)')
    .action(run(restoreDatabase));
  dbCommand(db, 'deleted')
    .description("backups of the project's deleted databases, newest first")
    .option('--limit <n>', 'how many', integer, 50)
    .action(run(listDeletedBackups));
  dbCommand(db, 'restore-deleted <backup-id>')
    .description('restore a backup of a deleted database into a new database')
    .requiredOption('--into <new-db-name>', 'name of the new database')
    .action(run(restoreDeletedDatabase));
  const schedule = db.command('schedule').description('scheduled backups of a database');
  dbCommand(schedule, 'add <name>')
    .description('back up on a cron schedule (UTC)')
    .requiredOption('--cron <expression>', "5-field cron in UTC, e.g. '0 3 * * *' (daily at 03:00)")
    .option('--destination <name>', 'where to (default: local)')
    .option('--keep <n>', "how many backups to keep (default: 7; 'all' with --max-age-days)")
    .option('--max-age-days <n>', 'delete backups older than this')
    .option('--encrypt', 'encrypt the archives with the server key', false)
    .action(run(addSchedule));
  dbCommand(schedule, 'list <name>')
    .aliases(['ls', 'l'])
    .description('backup schedules of a database')
    .action(run(listSchedules));
  dbCommand(schedule, 'remove <name> <schedule-id>')
    .aliases(['rm', 'del'])
    .description('stop the schedule; its backups stay')
    .action(run(removeSchedule));
  const destination = db.command('destination').alias('dest').description('where backups of the project go');
  dbCommand(destination, 'add <dest-name>')
    .description('a directory on the Rise host (--local) or an S3 bucket (--s3)')
    .option('--local', "a directory under Rise's backup directory")
    .option('--path <sub/dir>', '--local: sub-directory (default: the backup directory itself)')
    .option('--s3', 'an S3-compatible bucket')
    .option('--bucket <name>', '--s3: bucket name')
    .option('--endpoint <url>', '--s3: endpoint URL (default: AWS)')
    .option('--region <region>', '--s3: region (default: us-east-1)')
    .option('--prefix <prefix>', '--s3: key prefix inside the bucket')
    .option('--path-style', '--s3: path-style URLs (MinIO and most non-AWS services)')
    .option('--access-key-id <id>', '--s3: access key id (default: RISE_S3_ACCESS_KEY_ID)')
    .option(
      '--secret-access-key-stdin',
      '--s3: read the secret access key from stdin (default: RISE_S3_SECRET_ACCESS_KEY)',
    )
    .action(run(addDestination));
  dbCommand(destination, 'list')
    .aliases(['ls', 'l'])
    .description("the project's backup destinations")
    .action(run(listDestinations));
  dbCommand(destination, 'remove <dest-name>')
    .aliases(['rm', 'del'])
    .description('remove a destination no schedule or backup uses')
    .action(run(removeDestination));

  program
    .command('completion [shell]')
    .description('print a shell completion script (bash or zsh)')
    .action(run((shell?: string) => void process.stdout.write(completionScript(program, shell ?? 'bash'))));
  return program;
}
