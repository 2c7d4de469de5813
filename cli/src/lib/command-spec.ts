import type { Command, Option } from 'commander';
import type { z } from 'zod';
import type { Api } from './api';

/** What a command's `run` gets besides its arguments and options. */
export type CommandContext = {
  /** The API as the logged-in user: --url, then RISE_URL / RISE_TOKEN, then the stored login. */
  api(): Api;
  /** The whole program, for commands that describe it (completion). */
  program: Command;
};

export type ArgumentSpec = {
  /** As help shows it (kebab-case); `run` sees it camelCased: `backup-id` → `backupId`. */
  name: string;
  description?: string;
  required?: boolean;
  variadic?: boolean;
  /** Checks and converts the value before `run`; its first issue is the usage error. */
  schema?: z.ZodType<unknown, string>;
  /**
   * With -p/--project given, a lone positional that `matches` fills this argument rather than the
   * project's (`rise d s -p app 20261122-0132-k3f9`).
   */
  matches?: (value: string) => boolean;
};

/** Options every command that talks to Rise takes; a spec lists fewer when it takes fewer. */
export type SharedOptionName = 'url' | 'output';

/** How a project-scoped command names its project: always -p/--project, maybe a leading argument too. */
export type ProjectSpec = {
  /** Also as the first positional, where PRODUCT.md's transcript uses one (`rise d c NAME`). */
  argument?: 'optional' | 'required';
  /** Checks the name before `run`. */
  schema?: z.ZodType<string, string>;
};

export type CommandSpec<Args = Record<string, unknown>> = {
  name: string;
  aliases?: string[];
  summary?: string;
  /** Positionals after the project's (when `project.argument` puts one first). */
  arguments?: ArgumentSpec[];
  /** Command lines `--help` shows after the options, one a line (`rise d c my-app -g mr/26 --expire 7d`). */
  examples?: string[];
  /** Options of this command only; shared ones come from `shared` and `project`. */
  options?: Option[];
  /** Default: url and output. */
  shared?: SharedOptionName[];
  project?: ProjectSpec;
  /** Runs the command; returns its exit code. Errors it throws become a message and an exit code. */
  run(args: Args, ctx: CommandContext): Promise<number> | number;
};

/** A noun (`project`, `db schedule`): a name, aliases and its verbs (or nouns nested in it). */
export type GroupSpec = {
  name: string;
  aliases?: string[];
  summary: string;
  commands: Spec[];
};

export type Spec = CommandSpec | GroupSpec;

export const isGroup = (spec: Spec): spec is GroupSpec => 'commands' in spec;

/** Types a command spec by what its `run` reads; the builder fills exactly those keys. */
export const defineCommand = <Args>(spec: CommandSpec<Args>): CommandSpec<Args> => spec;

/** What every command with the shared options gets. */
export type SharedArgs = { url?: string; output: string };
/** …and a project-scoped one: the project from its argument or -p/--project, if either named it. */
export type ProjectArgs = SharedArgs & { project?: string };
