import { describe, expect, it } from 'vitest';
import { parseRiseToml, RiseTomlError } from '../rise-toml';
import { commandArgv, describeCommand } from './commands';

function tomlError(text: string): string {
  try {
    parseRiseToml(text);
  } catch (error) {
    if (error instanceof RiseTomlError) return error.message;
    throw error;
  }
  throw new Error('expected a RiseTomlError');
}

describe('[deploy] command, release and post_deploy', () => {
  it('reads a string (run by the shell) and an array (the argument vector)', () => {
    const config = parseRiseToml(
      [
        'project = "api"',
        '[deploy]',
        'command = "node server.js"',
        'release = "npm run migrate && npm run seed"',
        'post_deploy = ["curl", "-fsS", "-X", "POST", "https://hooks.example.com/deployed"]',
        '',
      ].join('\n'),
    );
    expect(config.deploy).toEqual({
      command: 'node server.js',
      release: 'npm run migrate && npm run seed',
      post_deploy: ['curl', '-fsS', '-X', 'POST', 'https://hooks.example.com/deployed'],
    });
    expect(commandArgv(config.deploy!.command!)).toEqual(['/bin/sh', '-c', 'node server.js']);
    expect(commandArgv(config.deploy!.post_deploy!)).toEqual([
      'curl',
      '-fsS',
      '-X',
      'POST',
      'https://hooks.example.com/deployed',
    ]);
  });

  it('names the field and line of a bad command', () => {
    expect(tomlError('project = "api"\n[deploy]\nport = 3000\nrelease = ""\n')).toBe(
      '.rise.toml:4: deploy.release: expected a command, e.g. "node server.js"',
    );
    expect(tomlError('project = "api"\n[deploy]\ncommand = []\n')).toBe(
      '.rise.toml:3: deploy.command: expected at least the program to run',
    );
    expect(tomlError('project = "api"\n[deploy]\ncommand = 42\n')).toBe(
      '.rise.toml:3: deploy.command: expected a string ("node server.js") or an array of strings (["node", "server.js"])',
    );
    expect(tomlError('project = "api"\n[deploy]\nrelese = "x"\n')).toBe(
      '.rise.toml:3: deploy.relese: unknown field',
    );
  });

  it('shows a stored command as it was written', () => {
    expect(describeCommand(['/bin/sh', '-c', 'node server.js'])).toBe('node server.js');
    expect(describeCommand(['node', 'server.js'])).toBe('["node","server.js"]');
    expect(describeCommand([])).toBeNull();
  });
});
