import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { deploymentIdArgument, durationSeconds, projectNameArgument, zodParser } from './arguments';

describe('durationSeconds', () => {
  it('reads plain seconds and s, m, h units', () => {
    const parse = zodParser(durationSeconds);
    expect(parse('90')).toBe(90);
    expect(parse('90s')).toBe(90);
    expect(parse('5m')).toBe(300);
    expect(parse('1h')).toBe(3600);
  });

  it('rejects what is not a duration, zero and more than a day, saying why', () => {
    const parse = zodParser(durationSeconds);
    expect(() => parse('soon')).toThrow(
      new InvalidArgumentError('expected a duration like 90, 90s, 5m or 1h'),
    );
    expect(() => parse('1.5m')).toThrow(InvalidArgumentError);
    expect(() => parse('-5')).toThrow(InvalidArgumentError);
    expect(() => parse('0s')).toThrow(new InvalidArgumentError('must be at least 1 second'));
    expect(() => parse('25h')).toThrow(new InvalidArgumentError('must be at most 24h'));
  });
});

describe('deploymentIdArgument and projectNameArgument', () => {
  it('accept ids and names as the API issues them', () => {
    expect(zodParser(deploymentIdArgument)('20261122-0132-k3f9')).toBe('20261122-0132-k3f9');
    expect(zodParser(projectNameArgument)('secret-app')).toBe('secret-app');
  });

  it('reject others with a message naming the form', () => {
    expect(() => zodParser(deploymentIdArgument)('latest')).toThrow(
      new InvalidArgumentError('deployment ids look like 20261122-0132-k3f9'),
    );
    expect(() => zodParser(projectNameArgument)('Secret_App')).toThrow(/DNS labels/);
  });
});
