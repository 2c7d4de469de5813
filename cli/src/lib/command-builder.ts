import type { Command } from 'commander';
import { authenticatedApi } from './api';
import type { ArgumentSpec, CommandContext, CommandSpec, ProjectSpec, Spec } from './command-spec';
import { isGroup } from './command-spec';
import { CliError, EXIT, fromApiError } from './errors';
import { say } from './output';
import { sharedOptions } from './shared-options';

const camel = (name: string) => name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());

const usage = (argument: ArgumentSpec) => {
  const name = `${argument.name}${argument.variadic ? '...' : ''}`;
  return argument.required ? `<${name}>` : `[${name}]`;
};

const PROJECT_ARGUMENT: ArgumentSpec = { name: 'project' };

/** Help for the project's argument and option: whether .rise.toml can name it instead. */
function projectHelp(project: ProjectSpec): { argument: string; option: string } {
  if (project.argument === 'required')
    return { argument: 'the project (or -p/--project)', option: 'the project (instead of the argument)' };
  if (project.argument === 'optional')
    return {
      argument: 'the project (or -p/--project; default: from .rise.toml)',
      option: 'the project (instead of the argument)',
    };
  return { argument: '', option: 'the project (default: from .rise.toml)' };
}

/**
 * The project a command names, and its other positionals: from its leading argument, from
 * -p/--project, or both when they agree. With -p given, a differing lone positional belongs to the
 * next argument when that argument `matches` it (`rise d s -p app 20261122-0132-k3f9`); otherwise
 * the two names conflict, a usage error.
 */
export function mergeProject(
  positional: string | undefined,
  flag: string | undefined,
  rest: unknown[],
  following: ArgumentSpec[],
): { project: string | undefined; rest: unknown[] } {
  if (flag === undefined || positional === undefined || positional === flag)
    return { project: flag ?? positional, rest };
  const next = following[0];
  if (next?.matches?.(positional) && rest.at(-1) === undefined)
    return { project: flag, rest: [positional, ...rest.slice(0, -1)] };
  throw new CliError(
    `Two projects named: '${positional}' as the argument and '${flag}' with -p/--project; name it once.`,
    EXIT.usage,
  );
}

/** Commander's own usage error (printed with the help hint, exit 2 through the program's exitOverride). */
function usageError(command: Command, message: string, code: string): never {
  command.error(`error: ${message}`, { exitCode: EXIT.usage, code });
  throw new Error(message); // command.error exits; this line only satisfies the type checker
}

/** Checks an argument's or the project's value against its schema; a failure is a usage error. */
function parseValue(command: Command, spec: ArgumentSpec | ProjectSpec, value: unknown, label: string) {
  if (value === undefined || !spec.schema) return value;
  const parse = (one: unknown) => {
    const result = spec.schema!.safeParse(one);
    if (result.success) return result.data;
    usageError(
      command,
      `${label.replace('%s', String(one))} ${result.error.issues[0]?.message ?? 'invalid value'}`,
      'commander.invalidArgument',
    );
  };
  return Array.isArray(value) ? value.map(parse) : parse(value);
}

/** The named positionals and options `run` gets, after the project rule and the argument schemas. */
function argumentsOf(command: Command, spec: CommandSpec): Record<string, unknown> {
  const options = command.opts();
  const following = spec.arguments ?? [];
  const takesProjectArgument = spec.project?.argument !== undefined;
  const values = [...command.processedArgs];
  const args: Record<string, unknown> = { ...options };
  if (spec.project) {
    const { project, rest } = takesProjectArgument
      ? mergeProject(values[0], options.project, values.slice(1), following)
      : { project: options.project as string | undefined, rest: values };
    if (project === undefined && spec.project.argument === 'required')
      usageError(command, "missing required argument 'project'", 'commander.missingArgument');
    const fromFlag = options.project !== undefined;
    args.project = parseValue(
      command,
      spec.project,
      project,
      fromFlag
        ? "option '-p, --project <name>' argument '%s' is invalid."
        : "command-argument value '%s' is invalid for argument 'project'.",
    );
    values.splice(0, values.length, ...rest);
  }
  following.forEach((argument, index) => {
    args[camel(argument.name)] = parseValue(
      command,
      argument,
      values[index],
      `command-argument value '%s' is invalid for argument '${argument.name}'.`,
    );
  });
  return args;
}

function addCommand(parent: Command, spec: CommandSpec, program: Command): Command {
  const command = parent.command(spec.name);
  if (spec.aliases?.length) command.aliases(spec.aliases);
  if (spec.summary) command.description(spec.summary);
  const positionals = [...(spec.project?.argument ? [PROJECT_ARGUMENT] : []), ...(spec.arguments ?? [])];
  const help = spec.project && projectHelp(spec.project);
  for (const argument of positionals) {
    // The project's argument stays optional for commander: -p/--project may name it instead.
    if (argument === PROJECT_ARGUMENT) command.argument(usage(argument), help?.argument);
    else command.argument(usage(argument), argument.description ?? '');
  }
  for (const name of spec.shared ?? ['url', 'output']) command.addOption(sharedOptions[name]());
  for (const option of spec.options ?? []) command.addOption(option);
  if (help) command.addOption(sharedOptions.project(help.option));
  if (spec.examples?.length)
    command.addHelpText('after', `\nExamples:\n${spec.examples.map((line) => `  $ ${line}`).join('\n')}`);
  command.action(async () => {
    let args: Record<string, unknown>;
    try {
      args = argumentsOf(command, spec);
    } catch (error) {
      if (!(error instanceof CliError)) throw error;
      say(error.message);
      process.exitCode = error.exitCode;
      return;
    }
    const ctx: CommandContext = { api: () => authenticatedApi(args), program };
    try {
      const code = await spec.run(args, ctx);
      if (code !== EXIT.ok) process.exitCode = code;
    } catch (error) {
      const failure = fromApiError(error);
      say(failure.message);
      process.exitCode = failure.exitCode;
    }
  });
  return command;
}

/** Adds a spec (a command, or a noun with its verbs) to `parent`, as commander commands. */
export function addSpec(parent: Command, spec: Spec, program: Command): Command {
  if (!isGroup(spec)) return addCommand(parent, spec, program);
  const group = parent.command(spec.name).description(spec.summary);
  if (spec.aliases?.length) group.aliases(spec.aliases);
  for (const child of spec.commands) addSpec(group, child, program);
  return group;
}
