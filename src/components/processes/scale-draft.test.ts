import { describe, expect, it } from 'vitest';
import type { ProjectProcessesView } from '@/server/domains/processes/process.schema';
import { draftOf, isSettled, runningSummary, scaleChanges } from './scale-draft';

type Process = ProjectProcessesView['processes'][number];

const instance = (replica: number, state = 'running') => ({
  replica,
  state,
  startedAt: '2026-01-01T00:00:00.000Z',
  exitCode: null,
});
const process = (name: string, replicas: number, instances = [instance(0)]): Process => ({
  name,
  command: null,
  replicas,
  cpuLimit: null,
  memoryLimitMb: null,
  instances,
});

describe('the scale form', () => {
  const processes = [process('web', 1), process('worker', 1)];

  it('starts from the desired counts and sends only the changed ones', () => {
    expect(draftOf(processes)).toEqual({ web: '1', worker: '1' });
    expect(scaleChanges(processes, { web: '3', worker: '1' })).toEqual({ counts: { web: 3 }, errors: {} });
    expect(scaleChanges(processes, { web: ' 1 ', worker: '0' })).toEqual({
      counts: { worker: 0 },
      errors: {},
    });
    expect(scaleChanges(processes, draftOf(processes))).toEqual({ counts: {}, errors: {} });
  });

  it('refuses what the API refuses, with its message', () => {
    const { counts, errors } = scaleChanges(processes, { web: '21', worker: '1.5' });
    expect(counts).toEqual({});
    expect(errors).toEqual({
      web: 'expected at most 20 replicas',
      worker: 'expected a whole number of replicas',
    });
    expect(scaleChanges(processes, { web: '', worker: '-1' }).errors).toEqual({
      web: expect.any(String),
      worker: 'expected 0 or more replicas',
    });
  });

  it('tells a settled process from one on its way', () => {
    expect(isSettled(process('web', 1))).toBe(true);
    expect(isSettled(process('web', 2))).toBe(false);
    expect(isSettled(process('web', 1, [instance(0, 'restarting')]))).toBe(false);
    expect(isSettled(process('worker', 0, []))).toBe(true);
    expect(runningSummary(process('web', 3, [instance(0), instance(1, 'created')]))).toBe('1 of 3 running');
  });
});
