import { describe, expect, it } from 'vitest';
import { instanceEnv } from './instance-env';

describe('instanceEnv', () => {
  it("adds PORT = the instance's port to its env vars", () => {
    expect(instanceEnv({ env: { DATABASE_URL: 'postgres://db/app' }, port: 3001 })).toEqual({
      DATABASE_URL: 'postgres://db/app',
      PORT: '3001',
    });
    expect(instanceEnv({ env: {}, port: 8080 })).toEqual({ PORT: '8080' });
  });

  it('ignores a PORT among the env vars: the app must listen where Rise probes and routes', () => {
    expect(instanceEnv({ env: { PORT: '9999', A: 'b' }, port: 3002 })).toEqual({ A: 'b', PORT: '3002' });
  });

  it('leaves the env vars it was given untouched', () => {
    const env = { PORT: '1' };
    instanceEnv({ env, port: 2 });
    expect(env).toEqual({ PORT: '1' });
  });
});
