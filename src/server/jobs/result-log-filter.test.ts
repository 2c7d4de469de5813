import { describe, expect, it } from 'vitest';
import { createResultLogFilter } from './result-log-filter';

describe('createResultLogFilter', () => {
  it('prints a scheduled job’s result only when it changed since its previous run', () => {
    const shouldLog = createResultLogFilter(['reconcile', 'cleanup']);
    expect(shouldLog('reconcile', '{"repaired":0}')).toBe(true);
    expect(shouldLog('reconcile', '{"repaired":0}')).toBe(false);
    expect(shouldLog('reconcile', '{"repaired":0}')).toBe(false);
    expect(shouldLog('reconcile', '{"repaired":2}')).toBe(true);
    expect(shouldLog('reconcile', '{"repaired":0}')).toBe(true);
    // Each job has its own previous result.
    expect(shouldLog('cleanup', '{"repaired":0}')).toBe(true);
  });

  it('always prints results of jobs without a schedule', () => {
    const shouldLog = createResultLogFilter(['reconcile']);
    expect(shouldLog('deploy', '{"status":"healthy"}')).toBe(true);
    expect(shouldLog('deploy', '{"status":"healthy"}')).toBe(true);
  });
});
