import { CliError, EXIT } from './errors';
import { readRiseToml } from './rise-toml';

/** The project named on the command line, else the one in `dir`/.rise.toml. */
export function projectArgument(name: string | undefined, dir = process.cwd()): string {
  const project = name ?? readRiseToml(dir)?.project;
  if (!project)
    throw new CliError(
      'Name the project (rise d c my-app) or run this where a .rise.toml names it.',
      EXIT.usage,
    );
  return project;
}

/** -p/--project, else the project of ./.rise.toml (commands that take no project argument). */
export function projectOf(options: { project?: string }): string {
  const project = options.project ?? readRiseToml(process.cwd())?.project;
  if (!project)
    throw new CliError(
      'Name the project with --project <name>, or run this where a .rise.toml names it.',
      EXIT.usage,
    );
  return project;
}
