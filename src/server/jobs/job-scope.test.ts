import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const repoRoot = path.resolve(import.meta.dirname, '../../..');

// In a child process: the net changes process-wide handlers, which vitest itself relies on.
const script = `
import { EventEmitter } from 'node:events';
const { installProcessNet, runInJobScope, UncaughtJobError } = await import('./src/server/jobs/job-scope.ts');
const lines = [];
installProcessNet((line) => lines.push(line.split('\\n')[0]));
const outcome = (promise) => promise.then((value) => ({ value }), (error) => ({
  error: error.message, uncaught: error instanceof UncaughtJobError, job: error.job, jobId: error.jobId,
}));
const results = await Promise.all([
  // An 'error' event nobody listens to, from a resource the job created; the job never settles on its own.
  outcome(runInJobScope('deploy', 'j1', () => new Promise(() => {
    const emitter = new EventEmitter();
    setImmediate(() => emitter.emit('error', new Error('getaddrinfo ENOTFOUND etc')));
  }))),
  // A throw in a timer callback.
  outcome(runInJobScope('backup', 'j2', () => new Promise(() => setTimeout(() => { throw new Error('timer'); }, 20)))),
  // A rejection nobody handles.
  outcome(runInJobScope('cleanup', 'j3', async () => { void Promise.reject(new Error('ignored')); await new Promise(() => {}); })),
  // A job that is fine and one that fails normally are untouched.
  outcome(runInJobScope('cleanup', 'j4', async () => 42)),
  outcome(runInJobScope('cleanup', 'j5', async () => { throw new Error('plain failure'); })),
]);
setImmediate(() => { throw new Error('outside any job'); });
await new Promise((resolve) => setTimeout(resolve, 50));
console.log(JSON.stringify({ results, lines }));
process.exit(0);
`;

describe('the process net', () => {
  it('fails the job an uncaught error belongs to, and keeps the process alive', () => {
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(child.status, child.stderr).toBe(0);
    const { results, lines } = JSON.parse(child.stdout.trim().split('\n').pop()!);
    expect(results).toEqual([
      {
        error: expect.stringContaining('getaddrinfo ENOTFOUND etc'),
        uncaught: true,
        job: 'deploy',
        jobId: 'j1',
      },
      { error: expect.stringContaining('timer'), uncaught: true, job: 'backup', jobId: 'j2' },
      { error: expect.stringContaining('ignored'), uncaught: true, job: 'cleanup', jobId: 'j3' },
      { value: 42 },
      { error: 'plain failure', uncaught: false },
    ]);
    expect(lines).toHaveLength(4);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^uncaught exception in deploy job j1: Error: getaddrinfo ENOTFOUND etc/),
        expect.stringMatching(/^uncaught exception in backup job j2: Error: timer/),
        expect.stringMatching(/^unhandled rejection in cleanup job j3: Error: ignored/),
        expect.stringMatching(/^uncaught exception outside any job \(kept running\): Error: outside any job/),
      ]),
    );
  });
});
