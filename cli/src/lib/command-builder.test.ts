import { Command } from 'commander';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { BUILDER_BACKENDS } from '../../../src/shared/builders/backends';
import { RUNTIME_NAMES } from '../../../src/shared/runtimes';
import { COMMANDS } from '../commands';
import { buildProgram } from '../program';
import { addSpec, mergeProject } from './command-builder';
import { type CommandSpec, defineCommand, isGroup, type Spec } from './command-spec';
import { CliError, EXIT } from './errors';
import { captureProcess } from './testing/capture-process';

const DEPLOYMENT_ID = '20261202-0101-k3f9';
const isId = (value: string) => /^\d{8}-\d{4}-[a-z0-9]{4}$/.test(value);

const output = captureProcess();

/** A program of one test command whose run records what it got and exits with `code`. */
function programWith(spec: Omit<CommandSpec, 'run'>, code: number = EXIT.ok) {
  const run = vi.fn((_args: Record<string, unknown>) => code);
  const program = new Command('rise').exitOverride((error) =>
    process.exit(error.exitCode === 0 ? 0 : EXIT.usage),
  );
  addSpec(program, defineCommand({ ...spec, run }), program);
  const rise = (...args: string[]) => program.parseAsync(['node', 'rise', ...args]);
  return { run, rise };
}

/** Every leaf command of the real program with its path (`db schedule add`) and spec. */
function leaves(specs: Spec[], path: string[] = []): { path: string; spec: CommandSpec }[] {
  return specs.flatMap((spec) =>
    isGroup(spec)
      ? leaves(spec.commands, [...path, spec.name])
      : [{ path: [...path, spec.name].join(' '), spec }],
  );
}

function commandAt(program: Command, path: string): Command {
  return path
    .split(' ')
    .reduce((parent, name) => parent.commands.find((command) => command.name() === name)!, program);
}

describe('shared options', () => {
  const program = buildProgram();
  const flagsOf = (path: string) => commandAt(program, path).options.map((option) => option.flags);

  it('every command that talks to Rise takes --url and -o/--output, from the one factory', () => {
    const withoutApi = ['login', 'logout', 'completion'];
    // `rise exec` prints the command's own output, which has no other format.
    const rawOutput = ['exec'];
    for (const { path } of leaves(COMMANDS).filter(({ path }) => !withoutApi.includes(path))) {
      expect(flagsOf(path), path).toContain('--url <url>');
      if (rawOutput.includes(path)) expect(flagsOf(path), path).not.toContain('-o, --output <format>');
      else expect(flagsOf(path), path).toContain('-o, --output <format>');
    }
    expect(flagsOf('login')).toEqual(['--url <url>', '--token <token>']);
    expect(flagsOf('logout')).toEqual([]);
  });

  it('every project-scoped command takes -p/--project, the others do not', () => {
    const scoped = leaves(COMMANDS).filter(({ spec }) => spec.project);
    expect(scoped.map(({ path }) => path)).toEqual(
      expect.arrayContaining(['project show', 'deployment create', 'env set', 'domain add', 'db create']),
    );
    for (const { path } of scoped) expect(flagsOf(path), path).toContain('-p, --project <name>');
    for (const path of ['project list', 'team show', 'whoami'])
      expect(flagsOf(path), path).not.toContain('-p, --project <name>');
  });

  it('takes the runtime and build backend choices from the shared registries', () => {
    const choicesOf = (path: string, flag: string) =>
      commandAt(program, path).options.find((option) => option.long === flag)?.argChoices;
    expect(choicesOf('project create', '--runtime')).toEqual(RUNTIME_NAMES);
    expect(choicesOf('project update', '--runtime')).toEqual(RUNTIME_NAMES);
    expect(choicesOf('deployment create', '--backend')).toEqual(BUILDER_BACKENDS);
  });
});

describe('-p/--project', () => {
  it('names the project as the positional does, alone or together when they agree', async () => {
    const { run, rise } = programWith({ name: 'deploy', project: { argument: 'optional' } });
    await rise('deploy', 'my-app');
    await rise('deploy', '-p', 'my-app');
    await rise('deploy', '--project', 'my-app');
    await rise('deploy', 'my-app', '-p', 'my-app');
    for (const [args] of run.mock.calls) expect(args).toMatchObject({ project: 'my-app', output: 'table' });
    await rise('deploy');
    expect(run.mock.calls[4]![0].project).toBeUndefined();
  });

  it('refuses two different projects with a usage error, before running anything', async () => {
    const { run, rise } = programWith({ name: 'deploy', project: { argument: 'optional' } });
    await rise('deploy', 'my-app', '-p', 'other-app');
    expect(process.exitCode).toBe(EXIT.usage);
    expect(output.stderr).toBe(
      "Two projects named: 'my-app' as the argument and 'other-app' with -p/--project; name it once.\n",
    );
    expect(run).not.toHaveBeenCalled();
  });

  it('a required project may come from either, and missing from both is a usage error', async () => {
    const { run, rise } = programWith({ name: 'show', project: { argument: 'required' } });
    await rise('show', '-p', 'my-app');
    expect(run.mock.calls[0]![0].project).toBe('my-app');
    await expect(rise('show')).rejects.toThrow('exit 2');
    expect(output.stderr).toContain("error: missing required argument 'project'");
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('with -p, a lone positional the next argument matches fills that argument', async () => {
    const { run, rise } = programWith({
      name: 'show',
      project: { argument: 'optional' },
      arguments: [{ name: 'deployment', matches: isId }],
    });
    await rise('show', '-p', 'my-app', DEPLOYMENT_ID);
    expect(run.mock.calls[0]![0]).toMatchObject({ project: 'my-app', deployment: DEPLOYMENT_ID });
    await rise('show', 'my-app', DEPLOYMENT_ID, '-p', 'my-app');
    expect(run.mock.calls[1]![0]).toMatchObject({ project: 'my-app', deployment: DEPLOYMENT_ID });
    await rise('show', 'other-app', '-p', 'my-app');
    expect(process.exitCode).toBe(EXIT.usage);
    expect(run).toHaveBeenCalledTimes(2);
  });

  it('checks the project and arguments against their schemas, as commander reports bad values', async () => {
    const { run, rise } = programWith({
      name: 'cancel',
      project: { argument: 'required', schema: z.string().regex(/^[a-z-]+$/, { message: 'a-z only' }) },
      arguments: [{ name: 'deployment', schema: z.string().refine(isId, { message: 'not an id' }) }],
    });
    await expect(rise('cancel', 'My_App')).rejects.toThrow('exit 2');
    expect(output.stderr).toContain(
      "error: command-argument value 'My_App' is invalid for argument 'project'. a-z only",
    );
    await expect(rise('cancel', '-p', 'My_App')).rejects.toThrow('exit 2');
    expect(output.stderr).toContain(
      "error: option '-p, --project <name>' argument 'My_App' is invalid. a-z only",
    );
    await expect(rise('cancel', 'my-app', 'latest')).rejects.toThrow('exit 2');
    expect(output.stderr).toContain(
      "error: command-argument value 'latest' is invalid for argument 'deployment'. not an id",
    );
    expect(run).not.toHaveBeenCalled();
  });

  it('option-only commands take -p and --project alike', async () => {
    const { run, rise } = programWith({ name: 'ls', project: {} });
    await rise('ls', '-p', 'my-app');
    await rise('ls', '--project', 'my-app');
    expect(run.mock.calls.map(([args]) => args.project)).toEqual(['my-app', 'my-app']);
  });
});

describe('run', () => {
  it('returns the exit code; a thrown error becomes its message and exit code', async () => {
    const { rise } = programWith({ name: 'stop' }, EXIT.conflict);
    await rise('stop');
    expect(process.exitCode).toBe(EXIT.conflict);
    const program = new Command('rise');
    addSpec(
      program,
      defineCommand({
        name: 'fail',
        run() {
          throw new CliError('Nothing to stop.', EXIT.notFound);
        },
      }),
      program,
    );
    await program.parseAsync(['node', 'rise', 'fail']);
    expect(process.exitCode).toBe(EXIT.notFound);
    expect(output.stderr).toBe('Nothing to stop.\n');
  });
});

describe('mergeProject', () => {
  const following = [{ name: 'deployment', matches: isId }];
  it('keeps the rest when nothing conflicts, shifts a matching positional, else refuses', () => {
    expect(mergeProject('a-app', undefined, [undefined], following)).toEqual({
      project: 'a-app',
      rest: [undefined],
    });
    expect(mergeProject(undefined, 'b-app', [undefined], following)).toEqual({
      project: 'b-app',
      rest: [undefined],
    });
    expect(mergeProject(DEPLOYMENT_ID, 'b-app', [undefined], following)).toEqual({
      project: 'b-app',
      rest: [DEPLOYMENT_ID],
    });
    expect(() => mergeProject(DEPLOYMENT_ID, 'b-app', [DEPLOYMENT_ID], following)).toThrow(CliError);
    expect(() => mergeProject('a-app', 'b-app', [], [])).toThrow(
      new CliError(
        "Two projects named: 'a-app' as the argument and 'b-app' with -p/--project; name it once.",
        EXIT.usage,
      ),
    );
  });
});
