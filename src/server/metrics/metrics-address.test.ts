import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from '@/env';
import { metricsAddress } from './metrics-address';

describe('metricsAddress', () => {
  it('reads host:port, IPv6 in brackets', () => {
    expect(metricsAddress.parse('127.0.0.1:9464')).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(metricsAddress.parse('0.0.0.0:9465')).toEqual({ host: '0.0.0.0', port: 9465 });
    expect(metricsAddress.parse('[::1]:9464')).toEqual({ host: '::1', port: 9464 });
    expect(metricsAddress.parse('worker:9465')).toEqual({ host: 'worker', port: 9465 });
  });

  it('refuses what is not host:port with an example', () => {
    for (const bad of [
      '9464',
      ':9464',
      '127.0.0.1',
      '127.0.0.1:0',
      '127.0.0.1:70000',
      '::1:9464',
      'http://x:1',
    ]) {
      const parsed = metricsAddress.safeParse(bad);
      expect(parsed.success, bad).toBe(false);
      expect(parsed.error?.issues[0]?.message).toContain('expected host:port');
    }
  });
});

describe('metrics environment', () => {
  it('validates the token length and both addresses, naming each variable', () => {
    const env = parseEnv({
      RISE_METRICS_TOKEN: 't'.repeat(32),
      RISE_METRICS_ADDRESS: '127.0.0.1:9464',
      RISE_WORKER_METRICS_ADDRESS: '127.0.0.1:9465',
    });
    expect(env.RISE_METRICS_TOKEN).toBe('t'.repeat(32));
    expect(env.RISE_METRICS_ADDRESS).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(env.RISE_WORKER_METRICS_ADDRESS).toEqual({ host: '127.0.0.1', port: 9465 });
    expect(parseEnv({}).RISE_METRICS_TOKEN).toBeUndefined();

    let error: unknown;
    try {
      parseEnv({ RISE_METRICS_TOKEN: 'short', RISE_WORKER_METRICS_ADDRESS: '9465' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(EnvError);
    expect((error as EnvError).issues.map((issue) => issue.variable).sort()).toEqual([
      'RISE_METRICS_TOKEN',
      'RISE_WORKER_METRICS_ADDRESS',
    ]);
  });
});
