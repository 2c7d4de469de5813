import { beforeEach, describe, expect, it, vi } from 'vitest';
import { cancel } from './commands/deployment/cancel';
import { create } from './commands/deployment/create';
import { show } from './commands/deployment/show';
import { start } from './commands/deployment/start';
import { completionScript } from './lib/completion-script';
import { captureProcess } from './lib/testing/capture-process';
import { buildProgram } from './program';

// Argument handling of the deployment commands: their runs are replaced by spies, so these tests see
// exactly what commander (with the zod parsers and the project rule) hands to them.
const specs = [cancel, create, show, start];

const output = captureProcess();
beforeEach(() => {
  for (const spec of specs) vi.spyOn(spec, 'run').mockResolvedValue(0);
});

const rise = (...args: string[]) => buildProgram().parseAsync(['node', 'rise', ...args]);
/** What the n-th call of a command's run got: its arguments and options by name. */
const argsOf = (spec: { run: unknown }, call = 0) =>
  vi.mocked(spec.run as (args: Record<string, unknown>) => number).mock.calls[call]![0];

describe('rise d show|s', () => {
  it('passes project, deployment, --follow and --timeout as seconds', async () => {
    await rise('d', 's', 'secret-app', '20261202-0101-k3f9', '--follow', '--timeout', '5m');
    expect(argsOf(show)).toMatchObject({ project: 'secret-app', deployment: '20261202-0101-k3f9' });
    expect(argsOf(show)).toMatchObject({ follow: true, timeout: 300, output: 'table' });
  });

  it('defaults: no follow, 600 s, deployment optional', async () => {
    await rise('deployment', 'show', 'secret-app');
    expect(argsOf(show)).toMatchObject({ project: 'secret-app', deployment: undefined });
    expect(argsOf(show)).toMatchObject({ follow: false, timeout: 600 });
  });

  it('rejects a bad --timeout as a usage error (exit 2) naming the flag', async () => {
    await expect(rise('d', 's', 'secret-app', '--follow', '--timeout', 'soon')).rejects.toThrow('exit 2');
    expect(output.stderr).toContain(
      "option '--timeout <duration>' argument 'soon' is invalid. expected a duration like 90, 90s, 5m or 1h",
    );
    expect(show.run).not.toHaveBeenCalled();
  });
});

describe('rise d cancel', () => {
  it('takes the project and an optional deployment id', async () => {
    await rise('d', 'cancel', 'secret-app');
    expect(argsOf(cancel)).toMatchObject({ project: 'secret-app', deployment: undefined });
    await rise('d', 'cancel', 'secret-app', '20261202-0101-k3f9');
    expect(argsOf(cancel, 1)).toMatchObject({ project: 'secret-app', deployment: '20261202-0101-k3f9' });
  });

  it('requires the project and refuses ids that are not deployment ids', async () => {
    await expect(rise('d', 'cancel')).rejects.toThrow('exit 2');
    expect(output.stderr).toContain("missing required argument 'project'");
    await expect(rise('d', 'cancel', 'secret-app', 'latest')).rejects.toThrow('exit 2');
    expect(output.stderr).toContain('deployment ids look like 20261122-0132-k3f9');
    await expect(rise('d', 'cancel', 'Secret_App')).rejects.toThrow('exit 2');
    expect(cancel.run).not.toHaveBeenCalled();
  });
});

describe('rise d start', () => {
  it('takes an optional project', async () => {
    await rise('d', 'start', 'secret-app', '-o', 'json');
    expect(argsOf(start).project).toBe('secret-app');
    expect(argsOf(start)).toMatchObject({ output: 'json' });
    await rise('d', 'start');
    expect(argsOf(start, 1).project).toBeUndefined();
  });
});

describe('rise d c --timeout', () => {
  it('accepts durations as well as plain seconds', async () => {
    await rise('d', 'c', 'secret-app', '--timeout', '2m');
    expect(argsOf(create)).toMatchObject({ project: 'secret-app', timeout: 120, follow: true });
    await rise('d', 'c', 'secret-app', '--timeout', '45', '--no-follow');
    expect(argsOf(create, 1)).toMatchObject({ timeout: 45, follow: false });
  });
});

describe('help and completion', () => {
  it('describes every deployment command', () => {
    const deployment = buildProgram().commands.find((command) => command.name() === 'deployment')!;
    for (const command of deployment.commands) expect(command.description(), command.name()).not.toBe('');
    expect(deployment.commands.find((command) => command.name() === 'show')!.description()).toContain(
      'exit 0 healthy, 1 failed or cancelled, 124 on --timeout',
    );
  });

  it('completes the new verbs and their flags', () => {
    const script = completionScript(buildProgram(), 'bash');
    expect(script).toMatch(/deployment\|d\) COMPREPLY=\(\$\(compgen -W "[^"]*\bstart\b[^"]*\bcancel\b/);
    expect(script).toMatch(/deployment\|d\) COMPREPLY=\(\$\(compgen -W "create c new list ls l show s /);
    expect(script).toContain(
      'deployment/cancel|d/cancel) COMPREPLY=($(compgen -W "--url --output -o --group -g --project -p"',
    );
    expect(script).toMatch(
      /\|d\/s\) COMPREPLY=\(\$\(compgen -W "--url --output -o --group -g --follow -f --timeout --project -p"/,
    );
  });
});
