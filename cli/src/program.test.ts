import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// Argument handling of the deployment commands: the actions are replaced by spies, so these tests
// see exactly what commander (with its zod parsers) hands to them.
const actions = vi.hoisted(() => ({
  cancel: vi.fn(),
  createDeployment: vi.fn(),
  listDeployments: vi.fn(),
  logs: vi.fn(),
  rollback: vi.fn(),
  showDeployment: vi.fn(),
  start: vi.fn(),
  stop: vi.fn(),
}));
vi.mock('./commands/deployment', () => actions);

const { buildProgram } = await import('./program');
const { completionScript } = await import('./commands/completion');

let stderr = '';
beforeEach(() => {
  stderr = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  vi.spyOn(process, 'exit').mockImplementation((code) => {
    throw new Error(`exit ${code}`);
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  for (const action of Object.values(actions)) action.mockReset();
});

const rise = (...args: string[]) => buildProgram().parseAsync(['node', 'rise', ...args]);
const optionsOf = (action: { mock: { calls: unknown[][] } }) =>
  action.mock.calls[0]!.at(-2) as Record<string, unknown>;

describe('rise d show|s', () => {
  it('passes project, deployment, --follow and --timeout as seconds', async () => {
    await rise('d', 's', 'secret-app', '20261202-0101-k3f9', '--follow', '--timeout', '5m');
    expect(actions.showDeployment.mock.calls[0]!.slice(0, 2)).toEqual(['secret-app', '20261202-0101-k3f9']);
    expect(optionsOf(actions.showDeployment)).toMatchObject({ follow: true, timeout: 300, output: 'table' });
  });

  it('defaults: no follow, 600 s, deployment optional', async () => {
    await rise('deployment', 'show', 'secret-app');
    expect(actions.showDeployment.mock.calls[0]!.slice(0, 2)).toEqual(['secret-app', undefined]);
    expect(optionsOf(actions.showDeployment)).toMatchObject({ follow: false, timeout: 600 });
  });

  it('rejects a bad --timeout as a usage error (exit 2) naming the flag', async () => {
    await expect(rise('d', 's', 'secret-app', '--follow', '--timeout', 'soon')).rejects.toThrow('exit 2');
    expect(stderr).toContain(
      "option '--timeout <duration>' argument 'soon' is invalid. expected a duration like 90, 90s, 5m or 1h",
    );
    expect(actions.showDeployment).not.toHaveBeenCalled();
  });
});

describe('rise d cancel', () => {
  it('takes the project and an optional deployment id', async () => {
    await rise('d', 'cancel', 'secret-app');
    expect(actions.cancel.mock.calls[0]!.slice(0, 2)).toEqual(['secret-app', undefined]);
    await rise('d', 'cancel', 'secret-app', '20261202-0101-k3f9');
    expect(actions.cancel.mock.calls[1]!.slice(0, 2)).toEqual(['secret-app', '20261202-0101-k3f9']);
  });

  it('requires the project and refuses ids that are not deployment ids', async () => {
    await expect(rise('d', 'cancel')).rejects.toThrow('exit 2');
    expect(stderr).toContain("missing required argument 'project'");
    await expect(rise('d', 'cancel', 'secret-app', 'latest')).rejects.toThrow('exit 2');
    expect(stderr).toContain('deployment ids look like 20261122-0132-k3f9');
    await expect(rise('d', 'cancel', 'Secret_App')).rejects.toThrow('exit 2');
    expect(actions.cancel).not.toHaveBeenCalled();
  });
});

describe('rise d start', () => {
  it('takes an optional project', async () => {
    await rise('d', 'start', 'secret-app', '-o', 'json');
    expect(actions.start.mock.calls[0]![0]).toBe('secret-app');
    expect(optionsOf(actions.start)).toMatchObject({ output: 'json' });
    await rise('d', 'start');
    expect(actions.start.mock.calls[1]![0]).toBeUndefined();
  });
});

describe('rise d c --timeout', () => {
  it('accepts durations as well as plain seconds', async () => {
    await rise('d', 'c', 'secret-app', '--timeout', '2m');
    expect(optionsOf(actions.createDeployment)).toMatchObject({ timeout: 120, follow: true });
    await rise('d', 'c', 'secret-app', '--timeout', '45', '--no-follow');
    expect(actions.createDeployment.mock.calls[1]!.at(-2)).toMatchObject({ timeout: 45, follow: false });
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
    expect(script).toContain('deployment/cancel|d/cancel) COMPREPLY=($(compgen -W "--url --output -o"');
    expect(script).toMatch(/\|d\/s\) COMPREPLY=\(\$\(compgen -W "--url --output -o --follow -f --timeout"/);
  });
});
