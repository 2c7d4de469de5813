import { describe, expect, it } from 'vitest';
import { env } from '@/env';
import { BUILD_EXPIRY_MARGIN_SECONDS, gitBuildFailedJob, gitBuildJob } from './git-build.job';

describe('gitBuildJob', () => {
  it('expires only after RISE_BUILD_TIMEOUT (the build stops itself first) and dead-letters to git-build-failed', () => {
    expect(gitBuildJob.expireInSeconds).toBe(env.RISE_BUILD_TIMEOUT / 1000 + BUILD_EXPIRY_MARGIN_SECONDS);
    expect(gitBuildJob.deadLetter).toBe(gitBuildFailedJob);
    expect(gitBuildFailedJob.deadLetter).toBeUndefined();
  });
});
