import { describe, expect, it } from 'vitest';
import { originAllowed, parseExecQuery } from './exec-request';

const url = (query: string) => new URL(`http://rise.test/api/exec?${query}`);

describe('parseExecQuery', () => {
  it('reads the project, the command once per argument, and the terminal size', () => {
    expect(parseExecQuery(url('project=my-app&cmd=sh&cmd=-c&cmd=echo%20hi&tty=1&cols=120&rows=40'))).toEqual({
      project: 'my-app',
      cmd: ['sh', '-c', 'echo hi'],
      tty: true,
      cols: 120,
      rows: 40,
    });
  });

  it('reads the instance: the process and the replica number', () => {
    expect(parseExecQuery(url('project=my-app&process=worker&replica=2&cmd=sh'))).toMatchObject({
      process: 'worker',
      replica: 2,
    });
    expect(() => parseExecQuery(url('project=my-app&process=Worker&cmd=sh'))).toThrow(/^process:/);
    expect(() => parseExecQuery(url('project=my-app&replica=x&cmd=sh'))).toThrow(/^replica:/);
    expect(() => parseExecQuery(url('project=my-app&replica=20&cmd=sh'))).toThrow(
      'replica: expected a replica number below 20',
    );
  });

  it('refuses a request without a command, with a bad project name or a silly size, naming the field', () => {
    expect(() => parseExecQuery(url('project=my-app'))).toThrow(/^cmd: name a command to run/);
    expect(() => parseExecQuery(url('project=My_App&cmd=sh'))).toThrow(/^project:/);
    expect(() => parseExecQuery(url('project=my-app&cmd=sh&tty=1&cols=0&rows=40'))).toThrow(/^cols:/);
    expect(() => parseExecQuery(url('project=my-app&cmd='))).toThrow(/the command is empty/);
  });
});

describe('originAllowed', () => {
  it('lets clients without an Origin (the CLI) and pages of Rise itself in', () => {
    expect(originAllowed(undefined, 'rise.example.com', 'https://rise.example.com')).toBe(true);
    expect(originAllowed('https://rise.example.com', 'rise.example.com', 'https://rise.example.com')).toBe(
      true,
    );
    expect(originAllowed('http://127.0.0.1:3000', '127.0.0.1:3000', 'https://rise.example.com')).toBe(true);
  });

  it('keeps other sites out, whatever cookies their page sends along', () => {
    expect(originAllowed('https://evil.example', 'rise.example.com', 'https://rise.example.com')).toBe(false);
    expect(
      originAllowed('https://my-app.rise.example.com', 'rise.example.com', 'https://rise.example.com'),
    ).toBe(false);
    expect(originAllowed('null', 'rise.example.com', 'https://rise.example.com')).toBe(false);
  });
});
