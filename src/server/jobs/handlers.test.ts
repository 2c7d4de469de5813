import { describe, expect, it } from 'vitest';
import { runnableJobs } from './handlers';
import { jobs } from './registry';

describe('runnableJobs', () => {
  it('pairs every job with its handler when no queue is named', () => {
    const runnable = runnableJobs(undefined);
    expect(runnable.map((job) => job.definition.name)).toEqual(jobs.map((job) => job.name));
    for (const job of runnable) expect(job.handler).toBeTypeOf('function');
  });

  it('keeps only the named queues', () => {
    expect(runnableJobs(['reconcile', 'deploy']).map((job) => job.definition.name)).toEqual([
      'deploy',
      'reconcile',
    ]);
  });

  it("adds a named queue's dead-letter queue (a git-build worker settles the builds it gave up)", () => {
    expect(runnableJobs(['git-build']).map((job) => job.definition.name)).toEqual([
      'git-build',
      'git-build-failed',
    ]);
  });

  it('refuses an unknown queue, listing the known ones', () => {
    expect(() => runnableJobs(['deploy', 'nope'])).toThrow(
      /Unknown queue\(s\): nope\. Known queues: deploy, /,
    );
  });
});
