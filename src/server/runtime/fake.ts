import { notFound } from '@/server/errors';
import { DEFAULT_GROUP } from '@/shared/deployment-groups';
import {
  type HealthCheck,
  type HealthResult,
  type InstanceRef,
  type InstanceSpec,
  type InstanceState,
  type InstanceStats,
  type InstanceStatus,
  isPrimary,
  type LogLine,
  type OneOffOptions,
  type OneOffResult,
  type OneOffSpec,
  PRIMARY_INSTANCE,
  processOf,
  type Runtime,
} from './types';

/** One call made to the fake, in order (env values included: it is a test double). */
export type FakeRuntimeCall =
  | { method: 'prepare' }
  | { method: 'start'; spec: InstanceSpec }
  | { method: 'scale'; spec: InstanceSpec; graceMs: number | undefined }
  | { method: 'waitHealthy'; spec: InstanceSpec; check: HealthCheck }
  | { method: 'remove'; project: string; deploymentId: string; graceMs: number | undefined }
  | { method: 'restart'; project: string; deploymentId: string; instance?: InstanceRef }
  | { method: 'list'; project: string | undefined }
  | { method: 'stats'; project: string; deploymentId: string }
  | { method: 'logs'; project: string; deploymentId: string; follow: boolean; tail: number }
  | { method: 'runOneOff'; spec: OneOffSpec; timeoutMs: number };

/** How the next one-off ends (see `scriptOneOff`): its output lines and its result. */
export type FakeOneOff = { output?: string[]; result?: OneOffResult };

export type FakeInstance = {
  /** The spec it was started with (of its process, with every replica's count). */
  spec: InstanceSpec;
  /** Which replica of which process it is. */
  ref: InstanceRef;
  state: InstanceState;
  exitCode: number | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  restarts: number;
  logs: LogLine[];
  /** What `stats` reports while the instance runs (see `setStats`). */
  stats: Omit<InstanceStats, 'restarts'>;
};

type Method = FakeRuntimeCall['method'];

/** How the app of one image behaves once started: what it prints, and whether it exits at once. */
export type FakeApp = { output?: string[]; exitsWith?: number };

export type FakeRuntimeOptions = {
  health?: Record<string, HealthResult | HealthResult[]>;
  apps?: Record<string, FakeApp>;
  /** Images that neither exist locally nor can be pulled: starting one fails. */
  missingImages?: string[];
  now?: () => Date;
};

/**
 * In-memory Runtime for unit tests. Health results are configured per image (a list is consumed one
 * result per call, the last one sticking); `crash`, `appendLog` and `failNext` script the rest.
 * The real adapter is covered by docker-runtime.int.test.ts.
 */
export class FakeRuntime implements Runtime {
  readonly name = 'fake';
  readonly calls: FakeRuntimeCall[] = [];
  prepared = false;
  private readonly instances = new Map<string, FakeInstance>();
  private readonly health = new Map<string, HealthResult[]>();
  private readonly failures = new Map<Method, Error[]>();
  private readonly waiters = new Set<() => void>();
  private readonly held = new Map<string, HeldHealth>();
  private readonly now: () => Date;
  private readonly apps: Record<string, FakeApp>;
  private readonly missingImages: ReadonlySet<string>;
  private readonly oneOffs: FakeOneOff[] = [];

  constructor(options: FakeRuntimeOptions = {}) {
    for (const [image, results] of Object.entries(options.health ?? {})) this.setHealth(image, results);
    this.now = options.now ?? (() => new Date());
    this.apps = options.apps ?? {};
    this.missingImages = new Set(options.missingImages);
  }

  /** What waitHealthy answers for instances of `image` (default: healthy). */
  setHealth(image: string, results: HealthResult | HealthResult[]): void {
    this.health.set(image, Array.isArray(results) ? [...results] : [results]);
  }

  /**
   * Makes waitHealthy of instances of `image` wait, until `release` gives its result or the check's
   * signal aborts (then it answers `cancelled`, as the real runtimes do). `waiting` resolves once a
   * wait has begun.
   */
  holdHealth(image: string): { waiting: Promise<void>; release(result?: HealthResult): void } {
    let began = () => {};
    const waiting = new Promise<void>((resolve) => (began = resolve));
    let release: (result: HealthResult) => void = () => {};
    const result = new Promise<HealthResult>((resolve) => (release = resolve));
    this.held.set(image, { began, result });
    return {
      waiting,
      release: (outcome = { healthy: true }) => {
        this.held.delete(image);
        release(outcome);
      },
    };
  }

  /** Makes the next call of `method` reject with `error` (queued: one error per call). */
  failNext(method: Method, error: Error | string): void {
    const queue = this.failures.get(method) ?? [];
    queue.push(typeof error === 'string' ? new Error(error) : error);
    this.failures.set(method, queue);
  }

  /** Lets an instance exit as if its process had died; followers of its logs see the stream end. */
  crash(project: string, deploymentId: string, exitCode = 1, ref: InstanceRef = PRIMARY_INSTANCE): void {
    const instance = this.require(project, deploymentId, ref);
    instance.state = 'exited';
    instance.exitCode = exitCode;
    instance.finishedAt = this.now();
    this.wake();
  }

  /** Adds a line of app output; followers receive it. */
  appendLog(project: string, deploymentId: string, line: string, stream: LogLine['stream'] = 'stdout'): void {
    this.require(project, deploymentId).logs.push({ stream, line, time: this.now() });
    this.wake();
  }

  /** What the next one-off prints and how it ends (queued; default: no output, exit code 0). */
  scriptOneOff(oneOff: FakeOneOff): void {
    this.oneOffs.push(oneOff);
  }

  async runOneOff(spec: OneOffSpec, options: OneOffOptions): Promise<OneOffResult> {
    this.record({ method: 'runOneOff', spec, timeoutMs: options.timeoutMs });
    const script = this.oneOffs.shift() ?? {};
    for (const line of script.output ?? []) {
      await options.onOutput({ stream: 'stdout', line, time: this.now() });
    }
    if (options.signal?.aborted) return { outcome: 'cancelled' };
    return script.result ?? { outcome: 'exited', exitCode: 0 };
  }

  /** Sets the figures `stats` reports for a running instance. */
  setStats(project: string, deploymentId: string, stats: Partial<Omit<InstanceStats, 'restarts'>>): void {
    const instance = this.require(project, deploymentId);
    instance.stats = { ...instance.stats, ...stats };
  }

  instance(
    project: string,
    deploymentId: string,
    ref: InstanceRef = PRIMARY_INSTANCE,
  ): FakeInstance | undefined {
    return this.instances.get(key(project, deploymentId, ref));
  }

  callsOf<M extends Method>(method: M): Extract<FakeRuntimeCall, { method: M }>[] {
    return this.calls.filter(
      (call): call is Extract<FakeRuntimeCall, { method: M }> => call.method === method,
    );
  }

  async prepare(): Promise<void> {
    this.record({ method: 'prepare' });
    this.prepared = true;
  }

  async start(spec: InstanceSpec): Promise<void> {
    this.record({ method: 'start', spec: structuredClone(spec) });
    if (this.missingImages.has(spec.image)) {
      throw new Error(`image ${spec.image} is not present locally and could not be pulled`);
    }
    for (const instance of this.instancesOf(spec.project, spec.deploymentId)) {
      if (instance.ref.process === processOf(spec)) this.instances.delete(keyOf(instance));
    }
    for (let replica = 0; replica < (spec.replicas ?? 1); replica++) this.add(spec, replica);
    this.wake();
  }

  async scale(spec: InstanceSpec, options: { graceMs?: number } = {}): Promise<void> {
    this.record({ method: 'scale', spec: structuredClone(spec), graceMs: options.graceMs });
    const wanted = spec.replicas ?? 1;
    const mine = this.instancesOf(spec.project, spec.deploymentId).filter(
      (instance) => instance.ref.process === processOf(spec),
    );
    for (const instance of mine) if (instance.ref.replica >= wanted) this.instances.delete(keyOf(instance));
    for (let replica = 0; replica < wanted; replica++) {
      if (!mine.some((instance) => instance.ref.replica === replica)) this.add(spec, replica);
    }
    this.wake();
  }

  private add(spec: InstanceSpec, replica: number): void {
    const app = this.apps[spec.image] ?? {};
    const startedAt = this.now();
    const exited = app.exitsWith !== undefined;
    const ref = { process: processOf(spec), replica };
    this.instances.set(key(spec.project, spec.deploymentId, ref), {
      spec: structuredClone(spec),
      ref,
      state: exited ? 'exited' : 'running',
      exitCode: app.exitsWith ?? null,
      startedAt,
      finishedAt: exited ? startedAt : null,
      restarts: 0,
      stats: { ...DEFAULT_STATS },
      logs: (app.output ?? []).map((line) => ({ stream: 'stdout' as const, line, time: startedAt })),
    });
  }

  private instancesOf(project: string, deploymentId: string): FakeInstance[] {
    return [...this.instances.values()].filter(
      (instance) => instance.spec.project === project && instance.spec.deploymentId === deploymentId,
    );
  }

  async waitHealthy(spec: InstanceSpec, check: HealthCheck): Promise<HealthResult> {
    this.record({
      method: 'waitHealthy',
      spec: structuredClone(spec),
      check: { ...check, signal: undefined },
    });
    if (check.signal?.aborted) return { healthy: false, error: 'cancelled' };
    const instance = this.instance(spec.project, spec.deploymentId);
    if (!instance)
      return { healthy: false, error: `instance ${spec.project}/${spec.deploymentId} does not exist` };
    if (instance.state === 'exited' || instance.state === 'dead') {
      return {
        healthy: false,
        error: `instance exited before becoming healthy (exit code ${instance.exitCode}); its last output: ${instance.logs
          .slice(-5)
          .map((line) => line.line)
          .join(' | ')}`,
      };
    }
    const held = this.held.get(spec.image);
    if (held) {
      held.began();
      return Promise.race([held.result, cancelledBy(check.signal)]);
    }
    const results = this.health.get(spec.image);
    if (!results || results.length === 0) return { healthy: true };
    return (results.length > 1 ? results.shift() : results[0]) as HealthResult;
  }

  async remove(project: string, deploymentId: string, options: { graceMs?: number } = {}): Promise<void> {
    this.record({ method: 'remove', project, deploymentId, graceMs: options.graceMs });
    const instances = this.instancesOf(project, deploymentId);
    if (instances.length === 0) return;
    for (const instance of instances) {
      instance.state = 'missing';
      this.instances.delete(keyOf(instance));
    }
    this.wake();
  }

  async restart(project: string, deploymentId: string, ref?: InstanceRef): Promise<void> {
    this.record({
      method: 'restart',
      project,
      deploymentId,
      ...(ref && !isPrimary(ref) ? { instance: ref } : {}),
    });
    const instance = this.require(project, deploymentId, ref);
    instance.state = 'running';
    instance.exitCode = null;
    instance.startedAt = this.now();
    instance.finishedAt = null;
    instance.restarts++;
    this.wake();
  }

  async list(filter: { project?: string } = {}): Promise<InstanceStatus[]> {
    this.record({ method: 'list', project: filter.project });
    return [...this.instances.values()]
      .filter((instance) => !filter.project || instance.spec.project === filter.project)
      .map((instance) => ({
        project: instance.spec.project,
        ...(instance.spec.group && instance.spec.group !== DEFAULT_GROUP
          ? { group: instance.spec.group }
          : {}),
        deploymentId: instance.spec.deploymentId,
        slot: instance.spec.slot,
        ...(isPrimary(instance.ref) ? {} : instance.ref),
        state: instance.state,
        exitCode: instance.exitCode,
        startedAt: instance.startedAt,
        finishedAt: instance.finishedAt,
      }));
  }

  async stats(project: string, deploymentId: string, ref?: InstanceRef): Promise<InstanceStats | null> {
    this.record({ method: 'stats', project, deploymentId });
    const instance = this.instance(project, deploymentId, ref);
    if (instance?.state !== 'running') return null;
    return { ...instance.stats, restarts: instance.restarts };
  }

  async *logs(
    project: string,
    deploymentId: string,
    options: { follow: boolean; tail: number; signal?: AbortSignal; instance?: InstanceRef },
  ): AsyncGenerator<LogLine> {
    this.record({ method: 'logs', project, deploymentId, follow: options.follow, tail: options.tail });
    const instance = this.require(project, deploymentId, options.instance);
    const { signal } = options;
    let next = Math.max(0, instance.logs.length - Math.max(0, options.tail));
    while (!signal?.aborted) {
      while (next < instance.logs.length) yield instance.logs[next++] as LogLine;
      if (!options.follow || instance.state !== 'running' || signal?.aborted) return;
      await new Promise<void>((resolve) => {
        const done = () => {
          this.waiters.delete(done);
          signal?.removeEventListener('abort', done);
          resolve();
        };
        this.waiters.add(done);
        signal?.addEventListener('abort', done, { once: true });
      });
    }
  }

  private record(call: FakeRuntimeCall): void {
    this.calls.push(call);
    const error = this.failures.get(call.method)?.shift();
    if (error) throw error;
  }

  private require(project: string, deploymentId: string, ref?: InstanceRef): FakeInstance {
    const instance = this.instance(project, deploymentId, ref);
    if (!instance) throw notFound(`no such instance ${key(project, deploymentId, ref)}`);
    return instance;
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}

/** A small idle app's figures. */
const DEFAULT_STATS: Omit<InstanceStats, 'restarts'> = {
  cpuPercent: 0.5,
  memoryBytes: 24 * 1024 * 1024,
  memoryLimitBytes: null,
  networkRxBytes: 1024,
  networkTxBytes: 2048,
};

type HeldHealth = { began: () => void; result: Promise<HealthResult> };

function cancelledBy(signal: AbortSignal | undefined): Promise<HealthResult> {
  return new Promise((resolve) => {
    signal?.addEventListener('abort', () => resolve({ healthy: false, error: 'cancelled' }), { once: true });
  });
}

/** `<project>/<deployment>` for web replica 0, `<project>/<deployment>/<process>/<replica>` for others. */
function key(project: string, deploymentId: string, ref: InstanceRef = PRIMARY_INSTANCE): string {
  return isPrimary(ref)
    ? `${project}/${deploymentId}`
    : `${project}/${deploymentId}/${ref.process}/${ref.replica}`;
}

const keyOf = (instance: FakeInstance) =>
  key(instance.spec.project, instance.spec.deploymentId, instance.ref);
