import type { V1Deployment, V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { numberedPods } from './replicas';
import { instanceStatus, podFailure, podInstanceStatus, rolloutStatus } from './rollout-status';

const deployment = (status: V1Deployment['status'], overrides: Partial<V1Deployment> = {}): V1Deployment => ({
  metadata: { name: 'shop-d1', generation: 2 },
  spec: {
    replicas: 1,
    selector: { matchLabels: {} },
    template: { spec: { containers: [{ name: 'app', image: 'x' }] } },
  },
  status,
  ...overrides,
});

const pod = (name: string, status: V1Pod['status'], deletionTimestamp?: Date): V1Pod => ({
  metadata: { name, ...(deletionTimestamp ? { deletionTimestamp } : {}) },
  status,
});

const ready = {
  observedGeneration: 2,
  replicas: 1,
  updatedReplicas: 1,
  readyReplicas: 1,
  availableReplicas: 1,
};
const started = new Date('2026-11-22T01:32:00Z');
const runningPod = pod('shop-d1-a', {
  phase: 'Running',
  containerStatuses: [
    {
      name: 'app',
      image: 'x',
      imageID: '',
      ready: true,
      restartCount: 0,
      state: { running: { startedAt: started } },
    },
  ],
});
const waitingPod = (reason: string, message?: string, exitCode?: number) =>
  pod('shop-d1-b', {
    phase: 'Pending',
    containerStatuses: [
      {
        name: 'app',
        image: 'x',
        imageID: '',
        ready: false,
        restartCount: exitCode === undefined ? 0 : 3,
        state: { waiting: { reason, message } },
        ...(exitCode === undefined
          ? {}
          : { lastState: { terminated: { exitCode, finishedAt: new Date('2026-11-22T01:33:00Z') } } }),
      },
    ],
  });

describe('rolloutStatus', () => {
  it('is ready when the current generation is observed and every replica is updated, ready and available', () => {
    expect(rolloutStatus(deployment(ready), [runningPod])).toEqual({ state: 'ready' });
  });

  it('waits for the controller to observe the latest generation', () => {
    const result = rolloutStatus(deployment({ ...ready, observedGeneration: 1 }), [runningPod]);
    expect(result).toMatchObject({ state: 'progressing', detail: expect.stringContaining('not processed') });
  });

  it('waits for updated, ready and available replicas, and for old ones to go', () => {
    expect(rolloutStatus(deployment({ ...ready, updatedReplicas: 0 }), [])).toMatchObject({
      state: 'progressing',
      detail: '0 of 1 replicas updated',
    });
    expect(
      rolloutStatus(deployment({ ...ready, readyReplicas: 0, availableReplicas: 0 }), [
        waitingPod('ContainerCreating'),
      ]),
    ).toMatchObject({
      state: 'progressing',
      detail: '0 of 1 replicas ready (pod shop-d1-b: ContainerCreating)',
    });
    expect(rolloutStatus(deployment({ ...ready, availableReplicas: 0 }), [runningPod])).toMatchObject({
      state: 'progressing',
    });
    expect(rolloutStatus(deployment({ ...ready, replicas: 2 }), [runningPod])).toMatchObject({
      state: 'progressing',
      detail: '1 old replicas are pending termination',
    });
  });

  it('names pods that cannot be scheduled', () => {
    const pending = pod('shop-d1-c', {
      phase: 'Pending',
      conditions: [
        {
          type: 'PodScheduled',
          status: 'False',
          reason: 'Unschedulable',
          message: '0/3 nodes are available',
        },
      ],
    });
    expect(
      rolloutStatus(deployment({ observedGeneration: 2, replicas: 1, updatedReplicas: 1 }), [pending]),
    ).toMatchObject({
      detail: '0 of 1 replicas ready (pod shop-d1-c: Unschedulable: 0/3 nodes are available)',
    });
  });

  it.each([
    ['ImagePullBackOff', 'Back-off pulling image "x"'],
    ['ErrImagePull', 'not found'],
    ['CrashLoopBackOff', 'back-off 10s restarting failed container'],
    ['CreateContainerConfigError', 'secret "shop-d1-env" not found'],
    ['CreateContainerError', 'no command specified'],
    ['InvalidImageName', "couldn't parse image name"],
    ['RunContainerError', 'exec: "/app": permission denied'],
  ])('fails at once on %s with "<reason>: <message>"', (reason, message) => {
    const result = rolloutStatus(deployment({ ...ready, readyReplicas: 0 }), [
      runningPod,
      waitingPod(reason, message),
    ]);
    expect(result).toEqual({ state: 'failed', error: `${reason}: ${message}`, pod: 'shop-d1-b', reason });
  });

  it('adds the last exit code of a crashed container, and ignores pods being deleted', () => {
    expect(podFailure([waitingPod('CrashLoopBackOff', 'back-off 20s', 137)])?.error).toBe(
      'CrashLoopBackOff: back-off 20s (last exit code 137)',
    );
    const leaving = {
      ...waitingPod('CrashLoopBackOff'),
      metadata: { name: 'x', deletionTimestamp: new Date() },
    };
    expect(podFailure([leaving])).toBeNull();
    expect(podFailure([waitingPod('ContainerCreating')])).toBeNull();
  });

  it('fails on an exceeded progress deadline and on ReplicaFailure', () => {
    const deadline = deployment({
      ...ready,
      readyReplicas: 0,
      conditions: [
        {
          type: 'Progressing',
          status: 'False',
          reason: 'ProgressDeadlineExceeded',
          message: 'ReplicaSet "x" has timed out progressing.',
        },
      ],
    });
    expect(rolloutStatus(deadline, [])).toMatchObject({
      state: 'failed',
      error: 'ProgressDeadlineExceeded: ReplicaSet "x" has timed out progressing.',
    });
    const quota = deployment({
      ...ready,
      conditions: [
        { type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'exceeded quota' },
      ],
    });
    expect(rolloutStatus(quota, [])).toMatchObject({
      state: 'failed',
      error: 'FailedCreate: exceeded quota',
      pod: null,
    });
  });
});

describe('instanceStatus', () => {
  it('is running while a container runs, with its start time', () => {
    expect(instanceStatus(deployment(ready), [runningPod])).toEqual({
      state: 'running',
      exitCode: null,
      startedAt: started,
      finishedAt: null,
      runtimeRestarts: { count: 0, lastExitCode: null, lastCrashAt: null },
    });
  });

  it('is restarting while crash-looping, with the last exit code', () => {
    expect(instanceStatus(deployment({}), [waitingPod('CrashLoopBackOff', 'back-off', 2)])).toEqual({
      state: 'restarting',
      exitCode: 2,
      startedAt: null,
      finishedAt: new Date('2026-11-22T01:33:00Z'),
      runtimeRestarts: { count: 3, lastExitCode: 2, lastCrashAt: new Date('2026-11-22T01:33:00Z') },
    });
  });

  it('counts the restarts of every live pod, with the newest crash', () => {
    const restarted = (name: string, restartCount: number, exitCode: number, finishedAt: string) =>
      pod(name, {
        phase: 'Running',
        containerStatuses: [
          {
            name: 'app',
            image: 'x',
            imageID: '',
            ready: true,
            restartCount,
            state: { running: { startedAt: started } },
            lastState: { terminated: { exitCode, finishedAt: new Date(finishedAt) } },
          },
        ],
      });
    const gone = pod('p-gone', { containerStatuses: [] }, new Date());
    expect(
      instanceStatus(deployment(ready), [
        restarted('p1', 2, 137, '2026-11-22T01:30:00Z'),
        restarted('p2', 1, 1, '2026-11-22T01:31:00Z'),
        gone,
      ]).runtimeRestarts,
    ).toEqual({ count: 3, lastExitCode: 1, lastCrashAt: new Date('2026-11-22T01:31:00Z') });
  });

  it('is created until a container runs (scheduling, pulling, config errors)', () => {
    expect(instanceStatus(deployment({}), [])).toMatchObject({ state: 'created' });
    expect(instanceStatus(deployment({}), [waitingPod('ImagePullBackOff')])).toMatchObject({
      state: 'created',
    });
  });

  it('is exited when scaled to zero or every pod ended, dead while being deleted', () => {
    const scaled = deployment({}, { spec: { replicas: 0, selector: {}, template: {} } });
    expect(instanceStatus(scaled, [])).toMatchObject({ state: 'exited' });
    const ended = pod('p', { phase: 'Failed' });
    expect(instanceStatus(deployment({}), [ended])).toMatchObject({ state: 'exited' });
    const deleting = deployment(ready, { metadata: { name: 'x', deletionTimestamp: new Date() } });
    expect(instanceStatus(deleting, [runningPod])).toMatchObject({ state: 'dead' });
  });
});

describe('podInstanceStatus and numberedPods', () => {
  const waitingPod = (name: string, reason: string, exitCode?: number) =>
    pod(name, {
      phase: reason === 'ContainerCreating' ? 'Pending' : 'Running',
      containerStatuses: [
        {
          name: 'app',
          image: 'x',
          imageID: '',
          ready: false,
          restartCount: exitCode === undefined ? 0 : 4,
          state: { waiting: { reason } },
          ...(exitCode === undefined
            ? {}
            : { lastState: { terminated: { exitCode, finishedAt: started, startedAt: started } } }),
        },
      ],
    });

  it('reads one pod: running, crash-looping (restarting, with its exit code), not started yet, ended, deleted', () => {
    const scaled = deployment(ready, {
      spec: { replicas: 3, selector: { matchLabels: {} }, template: {} },
    });
    expect(podInstanceStatus(scaled, runningPod)).toMatchObject({
      state: 'running',
      startedAt: started,
      exitCode: null,
    });
    expect(podInstanceStatus(scaled, waitingPod('p', 'CrashLoopBackOff', 3))).toMatchObject({
      state: 'restarting',
      exitCode: 3,
      runtimeRestarts: { count: 4, lastExitCode: 3, lastCrashAt: started },
    });
    expect(podInstanceStatus(scaled, waitingPod('p', 'ContainerCreating'))).toMatchObject({
      state: 'created',
    });
    expect(podInstanceStatus(scaled, pod('p', { phase: 'Succeeded' }))).toMatchObject({ state: 'exited' });
    expect(podInstanceStatus(scaled, pod('p', runningPod.status, new Date()))).toMatchObject({
      state: 'dead',
    });
    const deleting = deployment(ready, { metadata: { name: 'shop-d1', deletionTimestamp: new Date() } });
    expect(podInstanceStatus(deleting, runningPod)).toMatchObject({ state: 'dead' });
  });

  it('numbers the live pods by name, leaving out pods being deleted', () => {
    const pods = [
      pod('shop-d1-c', {}),
      pod('shop-d1-a', {}),
      pod('shop-d1-b', {}, new Date()),
      pod('shop-d1-b2', {}),
    ];
    expect(numberedPods(pods).map((p) => p.metadata?.name)).toEqual(['shop-d1-a', 'shop-d1-b2', 'shop-d1-c']);
    // The same pods in any order get the same numbers.
    expect(numberedPods([...pods].reverse()).map((p) => p.metadata?.name)).toEqual([
      'shop-d1-a',
      'shop-d1-b2',
      'shop-d1-c',
    ]);
  });
});
