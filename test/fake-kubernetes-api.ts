import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { Deployment } from 'kubernetes-models/apps/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1';
import { Namespace, PersistentVolumeClaim, Pod, Secret, Service } from 'kubernetes-models/v1';
import { type WebSocket, WebSocketServer } from 'ws';
import { freePort } from '../src/server/platform/free-port';
import { waitFor } from './wait';

/**
 * A fake Kubernetes API server for integration tests: real HTTP on 127.0.0.1, the REST paths
 * @kubernetes/client-node calls for namespaces, apps/v1 Deployments, Secrets, Services, Pods, pod
 * logs, pod exec (a WebSocket speaking the channel protocol; the test scripts the command, see FakeExec), PersistentVolumeClaims (stored; a pod waits for its claims) and networking.k8s.io/v1 Ingresses (no controller: an Ingress is only stored),
 * objects kept in memory with uid / resourceVersion / creationTimestamp / generation.
 *
 * Like a real API server it refuses what a real one refuses: every object written (create, replace,
 * each kind of PATCH) is validated against the Kubernetes OpenAPI schemas (kubernetes-models) plus
 * the checks the API server adds (names, label syntax, selector matching the template, immutable
 * fields, dockerconfigjson Secrets) and answered with 422 and a Status object when invalid. Every
 * refusal is also kept in `rejections`, so a test can assert that nothing was refused.
 *
 * A small controller and kubelet stand in for the cluster: a Deployment gets Pods (one per replica
 * and template), which turn Ready after `readyAfterMs` unless a failure rule matches their image
 * (`crash` → CrashLoopBackOff, `missing` → ImagePullBackOff by default), an envFrom Secret is missing
 * (CreateContainerConfigError), the registry wants credentials the pod's imagePullSecrets lack
 * (ImagePullBackOff), or runAsNonRoot meets an image running as root. Old pods go once the new ones
 * are ready (RollingUpdate with maxUnavailable 0). Pod logs serve lines the test configured.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };
type Meta = {
  name: string;
  namespace?: string;
  uid: string;
  resourceVersion: string;
  creationTimestamp: string;
  generation?: number;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: JsonObject[];
  [key: string]: Json | undefined;
};
/** A stored object (loosely typed: tests read what they need). */
// biome-ignore lint/suspicious/noExplicitAny: stored Kubernetes objects are free-form JSON
export type KubeObject = { apiVersion: string; kind: string; metadata: Meta; [key: string]: any };

export type ResourceName =
  | 'namespaces'
  | 'secrets'
  | 'services'
  | 'pods'
  | 'deployments'
  | 'ingresses'
  | 'jobs'
  | 'persistentvolumeclaims';

type ResourceInfo = {
  group: string;
  version: string;
  kind: string;
  namespaced: boolean;
  validate: (object: KubeObject) => void;
  nameRule: 'dns-label' | 'dns-1035-label' | 'dns-subdomain';
};

const RESOURCES: Record<ResourceName, ResourceInfo> = {
  namespaces: {
    group: '',
    version: 'v1',
    kind: 'Namespace',
    namespaced: false,
    validate: (o) => new Namespace(o as never).validate(),
    nameRule: 'dns-label',
  },
  secrets: {
    group: '',
    version: 'v1',
    kind: 'Secret',
    namespaced: true,
    validate: (o) => new Secret(o as never).validate(),
    nameRule: 'dns-subdomain',
  },
  services: {
    group: '',
    version: 'v1',
    kind: 'Service',
    namespaced: true,
    validate: (o) => new Service(o as never).validate(),
    nameRule: 'dns-1035-label',
  },
  pods: {
    group: '',
    version: 'v1',
    kind: 'Pod',
    namespaced: true,
    validate: (o) => new Pod(o as never).validate(),
    nameRule: 'dns-subdomain',
  },
  deployments: {
    group: 'apps',
    version: 'v1',
    kind: 'Deployment',
    namespaced: true,
    validate: (o) => new Deployment(o as never).validate(),
    nameRule: 'dns-subdomain',
  },
  jobs: {
    group: 'batch',
    version: 'v1',
    kind: 'Job',
    namespaced: true,
    validate: (o) => new Job(o as never).validate(),
    nameRule: 'dns-subdomain',
  },
  persistentvolumeclaims: {
    group: '',
    version: 'v1',
    kind: 'PersistentVolumeClaim',
    namespaced: true,
    validate: (o) => new PersistentVolumeClaim(o as never).validate(),
    nameRule: 'dns-subdomain',
  },
  ingresses: {
    group: 'networking.k8s.io',
    version: 'v1',
    kind: 'Ingress',
    namespaced: true,
    validate: (o) => new Ingress(o as never).validate(),
    nameRule: 'dns-subdomain',
  },
};

/** What the fake kubelet does with a pod whose image matches. */
export type FailureRule = {
  image: string | RegExp;
  reason: string;
  message?: string;
  /** Exit code of the crashed container (CrashLoopBackOff, RunContainerError); default 1. */
  exitCode?: number;
  /** What the container printed before it failed. */
  logs?: string[];
};

export type FakeKubernetesOptions = {
  /** Delay before a new pod's container runs and turns Ready (default 80 ms). */
  readyAfterMs?: number;
  /** Delay before the controller acts on a Deployment change (default 10 ms). */
  controllerDelayMs?: number;
  /** How long a deleted namespace stays Terminating (default 30 ms). */
  namespaceTerminationMs?: number;
  /** Replaces the default rules (`crash` → CrashLoopBackOff, `missing` → ImagePullBackOff). */
  failures?: FailureRule[];
  /** Lines a started container prints (default: a start line naming image and port). */
  logs?: (pod: KubeObject) => string[];
  /** What the container of a Job's pod prints and exits with (default: nothing, exit code 0). */
  jobRun?: (pod: KubeObject) => { logs?: string[]; exitCode?: number };
  /** When set, requests need `Authorization: Bearer <token>`. */
  token?: string;
  /** What a command run through pods/exec does (see FakeExec); without it, every exec fails to start. */
  exec?: (session: FakeExec) => void;
};

/**
 * A command run in a pod through pods/exec, as the test scripts it: it reads what the client sends
 * and writes output, then exits; the fake speaks the channel protocol (v5.channel.k8s.io, or v4).
 */
export type FakeExec = {
  pod: KubeObject;
  container: string;
  command: string[];
  tty: boolean;
  /** The subprotocol agreed (`v5.channel.k8s.io`, `v4.channel.k8s.io`). */
  protocol: string;
  stdout(data: string | Buffer): void;
  stderr(data: string | Buffer): void;
  /** Ends the command: its exit code on the status channel, then the connection closes. */
  exit(code: number): void;
  /** Ends it as the kubelet does when it cannot run the command (a Failure status, no exit code). */
  fail(message: string): void;
  onStdin(listener: (data: Buffer) => void): void;
  /** Stdin closed: a v5 close message, or (v4) the client closing the connection. */
  onStdinEnd(listener: () => void): void;
  onResize(listener: (size: { width: number; height: number }) => void): void;
};

export type RequestRecord = { method: string; path: string; query: string; contentType: string | null };
export type Rejection = { method: string; path: string; code: number; message: string };
/**
 * What happened, in order: every accepted write (`POST|PUT|PATCH|DELETE <path>`), every time a
 * Deployment turned available (`READY <namespace>/<name>`) and every Job that ended (`COMPLETE` or
 * `FAILED <namespace>/<name>`), so a test can check the order of all.
 */
export type HistoryEntry = { event: string; body?: Json };

const DEFAULT_FAILURES: FailureRule[] = [
  { image: 'crash', reason: 'CrashLoopBackOff', logs: ['crashing on purpose'] },
  { image: 'missing', reason: 'ImagePullBackOff' },
];

const CONTENT_JSON = 'application/json';
const PATCH_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
] as const;

class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details: JsonObject = {},
  ) {
    super(message);
  }
}

type LogEntry = { time: Date; text: string };
type Follower = { response: ServerResponse; timestamps: boolean };

export class FakeKubernetesApi {
  readonly requests: RequestRecord[] = [];
  /** Writes answered 400, 415 or 422, internal errors, and failures of the fake controller's own writes. */
  readonly rejections: Rejection[] = [];
  /** Accepted writes and Deployments turning available, in order (see HistoryEntry). */
  readonly history: HistoryEntry[] = [];
  /** Pod deletions with the grace period asked for. */
  readonly podDeletions: { namespace: string; name: string; gracePeriodSeconds: number | null }[] = [];
  /** Every exec connection accepted, in order. */
  readonly execs: { namespace: string; pod: string; command: string[]; tty: boolean; protocol: string }[] =
    [];
  failures: FailureRule[];
  /** Images whose user is root (runAsNonRoot pods of them fail); default: every image. */
  runsAsRoot: (image: string) => boolean = () => true;
  /** When set, images on `host` pull only with these credentials in the pod's imagePullSecrets. */
  registry: { host: string; username: string; password: string } | null = null;

  private readonly objects = new Map<string, KubeObject>();
  private readonly podLogs = new Map<string, LogEntry[]>();
  private readonly followers = new Map<string, Set<Follower>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly sockets = new Set<Socket>();
  private resourceVersion = 1000;
  private podIp = 1;
  private closed = false;

  private constructor(
    private readonly server: Server,
    readonly url: string,
    /** Timings and rules; a test may change them between steps. */
    readonly options: FakeKubernetesOptions,
  ) {
    this.failures = options.failures ?? [...DEFAULT_FAILURES];
  }

  static async start(options: FakeKubernetesOptions = {}): Promise<FakeKubernetesApi> {
    const port = await freePort();
    const server = createServer();
    const fake = new FakeKubernetesApi(server, `http://127.0.0.1:${port}`, options);
    server.on('request', (request, response) => fake.handle(request, response));
    server.on('upgrade', (request, socket, head) => fake.upgrade(request, socket as Socket, head));
    server.on('connection', (socket) => {
      fake.sockets.add(socket);
      socket.on('close', () => fake.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    return fake;
  }

  /** For `KubeConfig.loadFromOptions`: one cluster (this server), one user, one context. */
  kubeConfigOptions() {
    return {
      clusters: [{ name: 'fake', server: this.url, skipTLSVerify: true }],
      users: [{ name: 'rise', token: this.options.token ?? 'fake-token' }],
      contexts: [{ name: 'fake', cluster: 'fake', user: 'rise' }],
      currentContext: 'fake',
    };
  }

  async stop(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const set of this.followers.values()) for (const follower of set) follower.response.end();
    this.followers.clear();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      for (const socket of this.sockets) socket.destroy();
    });
  }

  // ---- inspection and scripting for tests ----

  get(resource: ResourceName, namespace: string | null, name: string): KubeObject | undefined {
    const object = this.objects.get(key(resource, namespace, name));
    return object ? clone(object) : undefined;
  }

  list(resource: ResourceName, namespace?: string | null, labels?: Record<string, string>): KubeObject[] {
    return [...this.objects.entries()]
      .filter(([k]) => k.startsWith(`${resource}/`))
      .map(([, object]) => object)
      .filter((object) => namespace == null || object.metadata.namespace === namespace)
      .filter(
        (object) => !labels || Object.entries(labels).every(([k, v]) => object.metadata.labels?.[k] === v),
      )
      .map(clone);
  }

  /** Creates an object as a client would (validated), e.g. another installation's. */
  seed(object: Record<string, unknown>): KubeObject {
    const resource = resourceOfKind(String(object.kind));
    const metadata = object.metadata as { namespace?: string } | undefined;
    return this.create(
      resource,
      RESOURCES[resource].namespaced ? (metadata?.namespace ?? 'default') : null,
      clone(object) as KubeObject,
    );
  }

  /** Adds a line to the log of matching pods (what the app prints); followers receive it. */
  appendLog(
    filter: { namespace?: string; pod?: string; labels?: Record<string, string> },
    text: string,
  ): number {
    const pods = this.list('pods', filter.namespace, filter.labels).filter(
      (pod) => !filter.pod || pod.metadata.name === filter.pod,
    );
    for (const pod of pods) this.writeLog(podKey(pod), text);
    return pods.length;
  }

  /**
   * The kubelet seeing the first container of matching running pods exit with `exitCode` after printing
   * `logs`: it counts a restart and either runs it again at once or, with `backOff`, waits
   * (CrashLoopBackOff, not ready), as Kubernetes does once restarts come too fast.
   */
  crashContainers(
    filter: { namespace?: string; labels?: Record<string, string> },
    crash: { exitCode: number; logs?: string[]; backOff: boolean },
  ): number {
    const pods = this.list('pods', filter.namespace, filter.labels);
    for (const { metadata } of pods) {
      const pod = this.objects.get(key('pods', metadata.namespace ?? null, metadata.name));
      const status = pod?.status?.containerStatuses?.[0];
      if (!pod || !status) continue;
      for (const line of crash.logs ?? []) this.writeLog(podKey(pod), line);
      const now = timestamp(new Date());
      const startedAt = status.state?.running?.startedAt ?? now;
      status.restartCount = (status.restartCount ?? 0) + 1;
      status.lastState = {
        terminated: { exitCode: crash.exitCode, reason: 'Error', startedAt, finishedAt: now },
      };
      status.state = crash.backOff
        ? {
            waiting: {
              reason: 'CrashLoopBackOff',
              message: `back-off restarting failed container ${status.name}`,
            },
          }
        : { running: { startedAt: now } };
      status.ready = !crash.backOff;
    }
    return pods.length;
  }

  /** Pod log requests with follow=true still open. */
  openLogStreams(): number {
    return [...this.followers.values()].reduce((sum, set) => sum + set.size, 0);
  }

  /** Waits until `predicate` holds (polling the in-memory state). */
  async waitFor(predicate: () => boolean, timeoutMs = 5_000): Promise<void> {
    await waitFor(predicate, {
      description: 'a condition on the fake Kubernetes API',
      timeoutMs,
      intervalMs: 10,
    });
  }

  // ---- HTTP ----

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://fake');
    const contentType = request.headers['content-type']?.split(';')[0]?.trim() ?? null;
    this.requests.push({
      method: request.method ?? 'GET',
      path: url.pathname,
      query: url.search,
      contentType,
    });
    try {
      if (this.options.token && request.headers.authorization !== `Bearer ${this.options.token}`) {
        throw new ApiError(401, 'Unauthorized', 'Unauthorized');
      }
      const body = await readBody(request);
      await this.route(request.method ?? 'GET', url, contentType, body, response);
      if (request.method !== 'GET') {
        const parsed = body ? parseJsonOrText(body) : undefined;
        this.history.push({
          event: `${request.method} ${url.pathname}`,
          ...(parsed === undefined ? {} : { body: parsed }),
        });
      }
    } catch (error) {
      const apiError =
        error instanceof ApiError
          ? error
          : new ApiError(
              500,
              'InternalError',
              `fake API server: ${error instanceof Error ? error.stack : String(error)}`,
            );
      // Refused writes (a GET answered 400, e.g. the log of a container not started yet, is no
      // refusal) and the fake's own failures.
      const refusedWrite = [400, 415, 422].includes(apiError.code) && request.method !== 'GET';
      if (refusedWrite || apiError.code === 500) {
        this.rejections.push({
          method: request.method ?? 'GET',
          path: url.pathname,
          code: apiError.code,
          message: apiError.message,
        });
      }
      if (!response.headersSent) sendStatus(response, apiError);
      else response.end();
    }
  }

  /** pods/exec: the WebSocket upgrade, refused (with a Status) as the API server refuses it. */
  private upgrade(request: IncomingMessage, socket: Socket, head: Buffer): void {
    const url = new URL(request.url ?? '/', 'http://fake');
    this.requests.push({ method: 'GET', path: url.pathname, query: url.search, contentType: null });
    const refuse = (error: ApiError) => {
      const body = JSON.stringify({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: error.message,
        reason: error.reason,
        code: error.code,
      });
      socket.end(
        `HTTP/1.1 ${error.code} ${error.reason}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
      );
    };
    try {
      if (this.options.token && request.headers.authorization !== `Bearer ${this.options.token}`) {
        throw new ApiError(401, 'Unauthorized', 'Unauthorized');
      }
      const match = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/exec$/.exec(url.pathname);
      if (!match) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
      const namespace = decodeURIComponent(match[1] ?? '');
      const name = decodeURIComponent(match[2] ?? '');
      const pod = this.require('pods', namespace, name);
      const command = url.searchParams.getAll('command');
      if (command.length === 0) throw new ApiError(400, 'BadRequest', 'you must specify at least 1 command');
      const containers = ((pod.spec.containers ?? []) as JsonObject[]).map((c) => String(c.name));
      const container = url.searchParams.get('container') ?? containers[0] ?? '';
      if (!containers.includes(container)) {
        throw new ApiError(400, 'BadRequest', `container ${container} is not valid for pod ${name}`);
      }
      const running = (pod.status?.containerStatuses ?? []).some(
        (status: JsonObject) =>
          status.name === container && (status.state as JsonObject | undefined)?.running,
      );
      if (!running) {
        throw new ApiError(400, 'BadRequest', `container ${container} is not running in pod ${name}`);
      }
      const offered = new Set(
        String(request.headers['sec-websocket-protocol'] ?? '')
          .split(',')
          .map((protocol) => protocol.trim()),
      );
      const protocol = ['v5.channel.k8s.io', 'v4.channel.k8s.io'].find((p) => offered.has(p));
      if (!protocol) throw new ApiError(400, 'BadRequest', 'no supported exec subprotocol offered');
      const tty = url.searchParams.get('tty') === 'true';
      const server = new WebSocketServer({ noServer: true, handleProtocols: () => protocol });
      server.handleUpgrade(request, socket, head, (ws) => {
        this.execs.push({ namespace, pod: name, command, tty, protocol });
        this.runExec(ws, { pod, container, command, tty, protocol });
      });
    } catch (error) {
      refuse(
        error instanceof ApiError
          ? error
          : new ApiError(500, 'InternalError', error instanceof Error ? error.message : String(error)),
      );
    }
  }

  private runExec(
    ws: WebSocket,
    session: { pod: KubeObject; container: string; command: string[]; tty: boolean; protocol: string },
  ): void {
    const stdin: ((data: Buffer) => void)[] = [];
    const stdinEnd: (() => void)[] = [];
    const resize: ((size: { width: number; height: number }) => void)[] = [];
    let inputEnded = false;
    let done = false;
    const endInput = () => {
      if (inputEnded) return;
      inputEnded = true;
      for (const listener of stdinEnd) listener();
    };
    const send = (channel: number, data: string | Buffer) => {
      if (!done) ws.send(Buffer.concat([Buffer.from([channel]), Buffer.from(data)]));
    };
    const finish = (status: JsonObject) => {
      if (done) return;
      send(3, JSON.stringify({ metadata: {}, ...status }));
      done = true;
      ws.close();
    };
    ws.on('message', (raw: Buffer) => {
      const data = Buffer.from(raw);
      const channel = data[0];
      if (channel === 0) for (const listener of stdin) listener(data.subarray(1));
      else if (channel === 255 && data[1] === 0) endInput();
      else if (channel === 4) {
        const size = JSON.parse(data.subarray(1).toString()) as { Width: number; Height: number };
        for (const listener of resize) listener({ width: size.Width, height: size.Height });
      }
    });
    ws.on('close', () => {
      done = true;
      endInput();
    });
    const exec: FakeExec = {
      ...session,
      stdout: (data) => send(1, data),
      // With a terminal there is one output stream, as the kubelet sends it.
      stderr: (data) => send(session.tty ? 1 : 2, data),
      exit: (code) =>
        finish(
          code === 0
            ? { status: 'Success' }
            : {
                status: 'Failure',
                message: `command terminated with non-zero exit code: error executing command ${JSON.stringify(session.command)}, exit code ${code}`,
                reason: 'NonZeroExitCode',
                details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
              },
        ),
      fail: (message) => finish({ status: 'Failure', message, reason: 'InternalError', code: 500 }),
      onStdin: (listener) => stdin.push(listener),
      onStdinEnd: (listener) => stdinEnd.push(listener),
      onResize: (listener) => resize.push(listener),
    };
    if (this.options.exec) this.options.exec(exec);
    else exec.fail('fake API server: no exec handler configured (FakeKubernetesOptions.exec)');
  }

  private async route(
    method: string,
    url: URL,
    contentType: string | null,
    body: string,
    response: ServerResponse,
  ): Promise<void> {
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    let rest: string[];
    let group: string;
    if (parts[0] === 'api' && parts[1] === 'v1') {
      group = '';
      rest = parts.slice(2);
    } else if (parts[0] === 'apis' && parts[1] === 'apps' && parts[2] === 'v1') {
      group = 'apps';
      rest = parts.slice(3);
    } else if (parts[0] === 'apis' && parts[1] === 'batch' && parts[2] === 'v1') {
      group = 'batch';
      rest = parts.slice(3);
    } else if (parts[0] === 'apis' && parts[1] === 'networking.k8s.io' && parts[2] === 'v1') {
      group = 'networking.k8s.io';
      rest = parts.slice(3);
    } else {
      throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    }
    const query = url.searchParams;
    // /namespaces, /namespaces/{name}
    if (rest[0] === 'namespaces' && rest.length <= 2 && group === '') {
      return send(
        response,
        ...this.serve(method, 'namespaces', null, rest[1] ?? null, query, contentType, body),
      );
    }
    // /namespaces/{ns}/{resource}[/{name}[/log]]
    if (rest[0] === 'namespaces' && rest.length >= 3) {
      const resource = this.resource(rest[2] ?? '', group);
      const namespace = rest[1] ?? '';
      if (resource === 'pods' && rest.length === 5 && rest[4] === 'log' && method === 'GET') {
        return this.serveLog(namespace, rest[3] ?? '', query, response);
      }
      if (rest.length > 4)
        throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
      return send(
        response,
        ...this.serve(method, resource, namespace, rest[3] ?? null, query, contentType, body),
      );
    }
    // /{resource}: every namespace
    if (rest.length === 1 && method === 'GET') {
      const resource = this.resource(rest[0] ?? '', group);
      return send(response, 200, this.listBody(resource, null, query));
    }
    throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
  }

  private resource(name: string, group: string): ResourceName {
    const resource = name as ResourceName;
    if (!(resource in RESOURCES) || RESOURCES[resource].group !== group || resource === 'namespaces') {
      throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    }
    return resource;
  }

  private serve(
    method: string,
    resource: ResourceName,
    namespace: string | null,
    name: string | null,
    query: URLSearchParams,
    contentType: string | null,
    body: string,
  ): [number, unknown] {
    if (name === null) {
      if (method === 'GET') return [200, this.listBody(resource, namespace, query)];
      if (method === 'POST') {
        requireContentType(contentType, [CONTENT_JSON]);
        return [201, this.create(resource, namespace, parseObject(body))];
      }
      if (method === 'DELETE') {
        const selector = parseSelector(query.get('labelSelector'));
        for (const object of this.list(resource, namespace)) {
          if (matches(selector, object.metadata.labels))
            this.delete(resource, namespace, object.metadata.name, {});
        }
        return [200, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success' }];
      }
      throw new ApiError(405, 'MethodNotAllowed', `method ${method} is not supported`);
    }
    if (method === 'GET') return [200, this.require(resource, namespace, name)];
    if (method === 'PUT') {
      requireContentType(contentType, [CONTENT_JSON]);
      return [200, this.replace(resource, namespace, name, parseObject(body))];
    }
    if (method === 'PATCH') {
      const type = requireContentType(contentType, PATCH_TYPES);
      return [200, this.patch(resource, namespace, name, type, parseJson(body))];
    }
    if (method === 'DELETE') {
      const options = body ? (parseJson(body) as JsonObject) : {};
      const grace = query.get('gracePeriodSeconds') ?? options.gracePeriodSeconds;
      const propagation = query.get('propagationPolicy') ?? options.propagationPolicy;
      return [
        200,
        this.delete(resource, namespace, name, {
          gracePeriodSeconds: grace == null ? null : Number(grace),
          propagationPolicy: propagation == null ? null : String(propagation),
        }),
      ];
    }
    throw new ApiError(405, 'MethodNotAllowed', `method ${method} is not supported`);
  }

  private listBody(resource: ResourceName, namespace: string | null, query: URLSearchParams): JsonObject {
    const info = RESOURCES[resource];
    const selector = parseSelector(query.get('labelSelector'));
    let items = this.list(resource, namespace).filter((object) => matches(selector, object.metadata.labels));
    const limit = Number(query.get('limit') ?? 0);
    if (limit > 0) items = items.slice(0, limit);
    return {
      kind: `${info.kind}List`,
      apiVersion: info.group ? `${info.group}/${info.version}` : info.version,
      metadata: { resourceVersion: String(this.resourceVersion) },
      // A real list's items carry no kind / apiVersion.
      items: items.map(({ kind: _kind, apiVersion: _apiVersion, ...item }) => item) as Json[],
    };
  }

  // ---- storage ----

  private require(resource: ResourceName, namespace: string | null, name: string): KubeObject {
    const object = this.objects.get(key(resource, namespace, name));
    if (!object) throw notFoundError(resource, name);
    return clone(object);
  }

  private create(resource: ResourceName, namespace: string | null, object: KubeObject): KubeObject {
    const info = RESOURCES[resource];
    checkTypeMeta(resource, object);
    const metadata = (object.metadata ?? {}) as Partial<Meta>;
    if (!metadata.name)
      throw invalid(resource, '', [{ field: 'metadata.name', message: 'Required value: name is required' }]);
    if (info.namespaced) {
      if (metadata.namespace && metadata.namespace !== namespace) {
        throw new ApiError(
          400,
          'BadRequest',
          'the namespace of the provided object does not match the namespace sent on the request',
        );
      }
      const ns = this.objects.get(key('namespaces', null, namespace ?? ''));
      if (!ns)
        throw new ApiError(404, 'NotFound', `namespaces "${namespace}" not found`, {
          name: namespace ?? '',
          kind: 'namespaces',
        });
      if (ns.metadata.deletionTimestamp) {
        throw new ApiError(
          403,
          'Forbidden',
          `${resource} "${metadata.name}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
        );
      }
    }
    if (this.objects.has(key(resource, namespace, metadata.name))) {
      throw new ApiError(409, 'AlreadyExists', `${qualified(resource)} "${metadata.name}" already exists`, {
        name: metadata.name,
        group: info.group,
        kind: resource,
      });
    }
    const stored: KubeObject = {
      ...object,
      metadata: {
        ...metadata,
        name: metadata.name,
        ...(info.namespaced ? { namespace: namespace ?? '' } : {}),
        uid: randomUUID(),
        resourceVersion: this.nextVersion(),
        creationTimestamp: timestamp(new Date()),
        ...(resource === 'deployments' ? { generation: 1 } : {}),
      } as Meta,
    };
    delete stored.metadata.deletionTimestamp;
    applyDefaults(resource, stored, undefined, () => this.allocateIp());
    this.validate(resource, stored, undefined);
    this.objects.set(key(resource, namespace, stored.metadata.name), stored);
    if (resource === 'deployments') this.scheduleSync(stored);
    if (resource === 'jobs') {
      this.after(this.options.controllerDelayMs ?? 10, () =>
        this.startJobPod(namespace ?? '', stored.metadata.name),
      );
    }
    return clone(stored);
  }

  private replace(
    resource: ResourceName,
    namespace: string | null,
    name: string,
    object: KubeObject,
  ): KubeObject {
    const current = this.require(resource, namespace, name);
    checkTypeMeta(resource, object);
    if (object.metadata?.name !== undefined && object.metadata.name !== name) {
      throw new ApiError(
        400,
        'BadRequest',
        `the name of the object (${object.metadata.name}) does not match the name on the URL (${name})`,
      );
    }
    if (
      object.metadata?.resourceVersion &&
      object.metadata.resourceVersion !== current.metadata.resourceVersion
    ) {
      throw new ApiError(
        409,
        'Conflict',
        `Operation cannot be fulfilled on ${qualified(resource)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
      );
    }
    return this.update(resource, current, object);
  }

  private patch(
    resource: ResourceName,
    namespace: string | null,
    name: string,
    type: string,
    patch: Json,
  ): KubeObject {
    const current = this.require(resource, namespace, name);
    let patched: Json;
    if (type === 'application/json-patch+json') patched = applyJsonPatch(current as unknown as Json, patch);
    else if (type === 'application/merge-patch+json') patched = mergePatch(current as unknown as Json, patch);
    else patched = strategicMergePatch(current as unknown as Json, patch);
    if (!isObject(patched)) throw new ApiError(422, 'Invalid', 'the patch produced no object');
    const object = patched as unknown as KubeObject;
    if (
      object.metadata?.resourceVersion &&
      object.metadata.resourceVersion !== current.metadata.resourceVersion
    ) {
      throw new ApiError(
        409,
        'Conflict',
        `Operation cannot be fulfilled on ${qualified(resource)} "${name}": the object has been modified`,
      );
    }
    return this.update(resource, current, object);
  }

  private update(resource: ResourceName, current: KubeObject, object: KubeObject): KubeObject {
    const stored: KubeObject = {
      ...object,
      apiVersion: current.apiVersion,
      kind: current.kind,
      metadata: {
        ...(object.metadata ?? {}),
        name: current.metadata.name,
        namespace: current.metadata.namespace,
        uid: current.metadata.uid,
        creationTimestamp: current.metadata.creationTimestamp,
        resourceVersion: current.metadata.resourceVersion,
        ...(current.metadata.deletionTimestamp
          ? { deletionTimestamp: current.metadata.deletionTimestamp }
          : {}),
      } as Meta,
    };
    if (current.metadata.namespace === undefined) delete stored.metadata.namespace;
    if (resource === 'deployments' || resource === 'pods' || resource === 'namespaces') {
      // The status is a subresource: writes to the object leave it alone.
      stored.status = current.status;
    }
    applyDefaults(resource, stored, current, () => this.allocateIp());
    if (resource === 'deployments') {
      const changed = JSON.stringify(stored.spec) !== JSON.stringify(current.spec);
      stored.metadata.generation = (current.metadata.generation ?? 1) + (changed ? 1 : 0);
    }
    this.validate(resource, stored, current);
    if (JSON.stringify(stored) === JSON.stringify(current)) return clone(current);
    stored.metadata.resourceVersion = this.nextVersion();
    this.objects.set(key(resource, current.metadata.namespace ?? null, current.metadata.name), stored);
    if (resource === 'deployments') this.scheduleSync(stored);
    return clone(stored);
  }

  private delete(
    resource: ResourceName,
    namespace: string | null,
    name: string,
    options: { gracePeriodSeconds?: number | null; propagationPolicy?: string | null },
  ): Json {
    const object = this.require(resource, namespace, name);
    const info = RESOURCES[resource];
    if (resource === 'namespaces') {
      if (!object.metadata.deletionTimestamp) {
        object.metadata.deletionTimestamp = timestamp(new Date());
        object.status = { phase: 'Terminating' };
        object.metadata.resourceVersion = this.nextVersion();
        this.objects.set(key('namespaces', null, name), object);
        this.after(this.options.namespaceTerminationMs ?? 30, () => this.finishNamespaceDeletion(name));
      }
      return clone(object) as unknown as Json;
    }
    this.objects.delete(key(resource, namespace, name));
    if (resource === 'pods') {
      this.podDeletions.push({
        namespace: namespace ?? '',
        name,
        gracePeriodSeconds: options.gracePeriodSeconds ?? null,
      });
      this.endLogs(podKey(object));
      const owner = this.ownerDeployment(object);
      if (owner) this.scheduleSync(owner);
      return {
        ...clone(object),
        metadata: { ...object.metadata, deletionTimestamp: timestamp(new Date()) },
      } as Json;
    }
    if (resource === 'jobs' && options.propagationPolicy !== 'Orphan') {
      for (const pod of this.podsOf(object)) this.delete('pods', namespace, pod.metadata.name, {});
    }
    if (resource === 'deployments' && options.propagationPolicy !== 'Orphan') {
      // The garbage collector, a moment later: the ReplicaSet's pods go with the Deployment.
      const pods = this.podsOf(object);
      this.after(this.options.controllerDelayMs ?? 10, () => {
        for (const pod of pods) {
          if (this.objects.has(key('pods', namespace, pod.metadata.name))) {
            this.delete('pods', namespace, pod.metadata.name, {});
          }
        }
      });
    }
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      details: { name, group: info.group, kind: resource, uid: object.metadata.uid },
    };
  }

  private finishNamespaceDeletion(name: string): void {
    for (const [k, object] of [...this.objects.entries()]) {
      if (object.metadata.namespace !== name) continue;
      this.objects.delete(k);
      if (object.kind === 'Pod') this.endLogs(podKey(object));
    }
    this.objects.delete(key('namespaces', null, name));
  }

  private validate(resource: ResourceName, object: KubeObject, previous: KubeObject | undefined): void {
    const causes: Cause[] = [];
    try {
      RESOURCES[resource].validate(object);
    } catch (error) {
      const errors = (error as { errors?: { instancePath?: string; message?: string }[] }).errors;
      if (errors?.length) {
        for (const e of errors) {
          causes.push({
            field: (e.instancePath ?? '').split('/').filter(Boolean).join('.'),
            message: e.message ?? 'invalid',
          });
        }
      } else causes.push({ field: '', message: error instanceof Error ? error.message : String(error) });
    }
    causes.push(...apiServerChecks(resource, object, previous));
    if (causes.length > 0) throw invalid(resource, object.metadata.name, causes);
  }

  private nextVersion(): string {
    this.resourceVersion += 1;
    return String(this.resourceVersion);
  }

  private allocateIp(): string {
    this.podIp += 1;
    return `10.96.${Math.floor(this.podIp / 250)}.${this.podIp % 250}`;
  }

  private after(ms: number, action: () => void): void {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.closed) return;
      try {
        action();
      } catch (error) {
        // The controller's own writes are validated too; a failure there is a fake bug or a bad template.
        const message = error instanceof Error ? error.message : String(error);
        this.rejections.push({
          method: 'CONTROLLER',
          path: '',
          code: error instanceof ApiError ? error.code : 500,
          message,
        });
      }
    }, ms);
    this.timers.add(timer);
  }

  // ---- controller and kubelet ----

  private scheduleSync(deployment: KubeObject): void {
    const { namespace, name } = deployment.metadata;
    this.after(this.options.controllerDelayMs ?? 10, () => this.syncDeployment(namespace ?? '', name));
  }

  private podsOf(deployment: KubeObject): KubeObject[] {
    return this.list('pods', deployment.metadata.namespace).filter((pod) =>
      (pod.metadata.ownerReferences ?? []).some((ref) => ref.uid === deployment.metadata.uid),
    );
  }

  private ownerDeployment(pod: KubeObject): KubeObject | undefined {
    const owner = (pod.metadata.ownerReferences ?? []).find((ref) => ref.kind === 'ReplicaSet');
    return this.list('deployments', pod.metadata.namespace).find((d) => d.metadata.uid === owner?.uid);
  }

  private syncDeployment(namespace: string, name: string): void {
    const deployment = this.objects.get(key('deployments', namespace, name));
    if (!deployment || deployment.metadata.deletionTimestamp) return;
    const wanted: number = deployment.spec.replicas ?? 1;
    const hash = templateHash(deployment.spec.template);
    const pods = this.podsOf(deployment);
    const current = pods.filter((pod) => pod.metadata.labels?.['pod-template-hash'] === hash);
    const old = pods.filter((pod) => pod.metadata.labels?.['pod-template-hash'] !== hash);
    for (let i = current.length; i < wanted; i++) current.push(this.createPod(deployment, hash));
    for (const extra of current.splice(wanted)) this.delete('pods', namespace, extra.metadata.name, {});
    const ready = (pod: KubeObject) =>
      (pod.status?.conditions ?? []).some((c: JsonObject) => c.type === 'Ready' && c.status === 'True');
    // RollingUpdate, maxUnavailable 0: old pods go once every new one is ready.
    if (current.every(ready)) for (const pod of old) this.delete('pods', namespace, pod.metadata.name, {});
    const live = this.podsOf(deployment);
    const updated = live.filter((pod) => pod.metadata.labels?.['pod-template-hash'] === hash);
    const readyCount = live.filter(ready).length;
    const now = timestamp(new Date());
    const status = {
      observedGeneration: deployment.metadata.generation ?? 1,
      replicas: live.length,
      updatedReplicas: updated.length,
      readyReplicas: readyCount,
      availableReplicas: readyCount,
      ...(live.length - readyCount > 0 ? { unavailableReplicas: live.length - readyCount } : {}),
      conditions: [
        {
          type: 'Available',
          status: readyCount >= wanted ? 'True' : 'False',
          reason: readyCount >= wanted ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
          message:
            readyCount >= wanted
              ? 'Deployment has minimum availability.'
              : 'Deployment does not have minimum availability.',
          lastUpdateTime: now,
          lastTransitionTime: now,
        },
        {
          type: 'Progressing',
          status: 'True',
          reason:
            updated.every(ready) && updated.length === wanted
              ? 'NewReplicaSetAvailable'
              : 'ReplicaSetUpdated',
          message: `ReplicaSet "${name}-${hash}" is progressing.`,
          lastUpdateTime: now,
          lastTransitionTime: now,
        },
      ],
    };
    const stored = this.objects.get(key('deployments', namespace, name));
    if (!stored) return;
    const withoutTimes = (value: unknown) => JSON.stringify(value).replace(/"last\w+Time":"[^"]*"/g, '');
    if (withoutTimes(stored.status) === withoutTimes(status)) return;
    const wasAvailable = (stored.status?.availableReplicas ?? 0) >= wanted;
    stored.status = status;
    stored.metadata.resourceVersion = this.nextVersion();
    this.validate('deployments', stored, undefined);
    if (!wasAvailable && readyCount >= wanted && wanted > 0)
      this.history.push({ event: `READY ${namespace}/${name}` });
  }

  private createPod(deployment: KubeObject, hash: string): KubeObject {
    const namespace = deployment.metadata.namespace ?? '';
    const template = clone(deployment.spec.template);
    const name = `${deployment.metadata.name}-${hash}-${randomBytes(3).toString('hex').slice(0, 5)}`;
    const containers = (template.spec.containers ?? []) as JsonObject[];
    const pod: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        namespace,
        uid: randomUUID(),
        resourceVersion: this.nextVersion(),
        creationTimestamp: timestamp(new Date()),
        labels: { ...(template.metadata?.labels ?? {}), 'pod-template-hash': hash },
        ...(template.metadata?.annotations ? { annotations: template.metadata.annotations } : {}),
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'ReplicaSet',
            name: `${deployment.metadata.name}-${hash}`,
            uid: deployment.metadata.uid,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: {
        ...template.spec,
        nodeName: 'fake-node',
        restartPolicy: template.spec.restartPolicy ?? 'Always',
      },
      status: {
        phase: 'Pending',
        conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: timestamp(new Date()) }],
        containerStatuses: containers.map((container) => ({
          name: String(container.name),
          image: String(container.image),
          imageID: '',
          ready: false,
          restartCount: 0,
          started: false,
          state: { waiting: { reason: 'ContainerCreating' } },
        })),
      },
    };
    this.validate('pods', pod, undefined);
    this.objects.set(key('pods', namespace, name), pod);
    this.podLogs.set(podKey(pod), []);
    this.after(this.options.readyAfterMs ?? 80, () => this.runPod(namespace, name));
    return clone(pod);
  }

  /** The kubelet: starts the container, or records why it cannot. */
  private runPod(namespace: string, name: string): void {
    const pod = this.objects.get(key('pods', namespace, name));
    if (!pod) return;
    // The scheduler leaves a pod whose PersistentVolumeClaim does not exist Pending.
    for (const volume of (pod.spec.volumes ?? []) as JsonObject[]) {
      const claim = volume.persistentVolumeClaim as JsonObject | undefined;
      if (claim && !this.objects.has(key('persistentvolumeclaims', namespace, String(claim.claimName))))
        return;
    }
    const container = (pod.spec.containers ?? [])[0] as JsonObject;
    const image = String(container.image);
    const now = timestamp(new Date());
    const failure = this.podProblem(pod, container);
    const status = pod.status.containerStatuses[0];
    const logs = failure?.logs ??
      this.options.logs?.(clone(pod)) ?? [`starting ${image}`, `listening on port ${portOf(container)}`];
    if (failure) {
      const crashed = failure.reason === 'CrashLoopBackOff' || failure.reason === 'RunContainerError';
      status.state = {
        waiting: {
          reason: failure.reason,
          message: failure.message ?? defaultMessage(failure.reason, image, pod),
        },
      };
      if (crashed) {
        status.restartCount = 1;
        status.lastState = {
          terminated: { exitCode: failure.exitCode ?? 1, reason: 'Error', startedAt: now, finishedAt: now },
        };
        pod.status.phase = 'Running';
        for (const line of logs) this.writeLog(podKey(pod), line);
      }
    } else {
      status.state = { running: { startedAt: now } };
      status.started = true;
      status.imageID = `${image.split('@')[0]}@sha256:${createHash('sha256').update(image).digest('hex')}`;
      pod.status.phase = 'Running';
      pod.status.podIP = `10.244.0.${(this.podIp++ % 250) + 2}`;
      pod.status.startTime = now;
      for (const line of logs) this.writeLog(podKey(pod), line);
      // The readiness probe succeeds when it names a port the container has.
      if (probeCanSucceed(container)) {
        status.ready = true;
        pod.status.conditions = [
          ...pod.status.conditions,
          { type: 'Initialized', status: 'True', lastTransitionTime: now },
          { type: 'ContainersReady', status: 'True', lastTransitionTime: now },
          { type: 'Ready', status: 'True', lastTransitionTime: now },
        ];
      }
    }
    pod.metadata.resourceVersion = this.nextVersion();
    this.validate('pods', pod, undefined);
    const owner = this.ownerDeployment(pod);
    if (owner) this.syncDeployment(owner.metadata.namespace ?? '', owner.metadata.name);
  }

  /** The Job controller: one pod of the template (backoffLimit 0 is all Rise uses). */
  private startJobPod(namespace: string, name: string): void {
    const job = this.objects.get(key('jobs', namespace, name));
    if (!job) return;
    const template = clone(job.spec.template);
    const podName = `${name}-${randomBytes(3).toString('hex').slice(0, 5)}`;
    const pod: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: podName,
        namespace,
        uid: randomUUID(),
        resourceVersion: this.nextVersion(),
        creationTimestamp: timestamp(new Date()),
        labels: { ...(template.metadata?.labels ?? {}), 'job-name': name },
        ownerReferences: [
          { apiVersion: 'batch/v1', kind: 'Job', name, uid: job.metadata.uid, controller: true },
        ],
      },
      spec: { ...template.spec, nodeName: 'fake-node' },
      status: {
        phase: 'Pending',
        containerStatuses: ((template.spec.containers ?? []) as JsonObject[]).map((container) => ({
          name: String(container.name),
          image: String(container.image),
          imageID: '',
          ready: false,
          restartCount: 0,
          started: false,
          state: { waiting: { reason: 'ContainerCreating' } },
        })),
      },
    };
    this.validate('pods', pod, undefined);
    this.objects.set(key('pods', namespace, podName), pod);
    this.podLogs.set(podKey(pod), []);
    job.status = { ...job.status, active: 1, startTime: timestamp(new Date()) };
    job.metadata.resourceVersion = this.nextVersion();
    this.after(this.options.readyAfterMs ?? 80, () => this.runJobPod(namespace, podName, name));
  }

  /** The kubelet for a Job's pod: runs its container to the end, or records why it cannot start. */
  private runJobPod(namespace: string, podName: string, jobName: string): void {
    const pod = this.objects.get(key('pods', namespace, podName));
    const job = this.objects.get(key('jobs', namespace, jobName));
    if (!pod || !job) return;
    const container = (pod.spec.containers ?? [])[0] as JsonObject;
    const status = pod.status.containerStatuses[0];
    const failure = this.podProblem(pod, container);
    const now = timestamp(new Date());
    if (failure && failure.reason !== 'CrashLoopBackOff' && failure.reason !== 'RunContainerError') {
      status.state = {
        waiting: {
          reason: failure.reason,
          message: failure.message ?? defaultMessage(failure.reason, String(container.image), pod),
        },
      };
      pod.metadata.resourceVersion = this.nextVersion();
      return;
    }
    const run = failure
      ? { logs: failure.logs ?? [], exitCode: failure.exitCode ?? 1 }
      : { logs: [], exitCode: 0, ...this.options.jobRun?.(clone(pod)) };
    for (const line of run.logs ?? []) this.writeLog(podKey(pod), line);
    const exitCode = run.exitCode ?? 0;
    status.state = {
      terminated: {
        exitCode,
        reason: exitCode === 0 ? 'Completed' : 'Error',
        startedAt: now,
        finishedAt: now,
      },
    };
    status.started = false;
    pod.status.phase = exitCode === 0 ? 'Succeeded' : 'Failed';
    pod.status.startTime = now;
    pod.metadata.resourceVersion = this.nextVersion();
    this.validate('pods', pod, undefined);
    const complete = exitCode === 0;
    job.status = {
      startTime: job.status?.startTime ?? now,
      ...(complete ? { succeeded: 1, completionTime: now } : { failed: 1 }),
      conditions: [
        {
          type: complete ? 'Complete' : 'Failed',
          status: 'True',
          ...(complete
            ? {}
            : { reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' }),
          lastProbeTime: now,
          lastTransitionTime: now,
        },
      ],
    };
    job.metadata.resourceVersion = this.nextVersion();
    this.validate('jobs', job, undefined);
    this.history.push({ event: `${complete ? 'COMPLETE' : 'FAILED'} ${namespace}/${jobName}` });
  }

  private podProblem(pod: KubeObject, container: JsonObject): FailureRule | null {
    const image = String(container.image);
    const namespace = pod.metadata.namespace ?? null;
    for (const source of (container.envFrom ?? []) as JsonObject[]) {
      const ref = source.secretRef as JsonObject | undefined;
      if (ref && !ref.optional && !this.objects.has(key('secrets', namespace, String(ref.name)))) {
        return { image, reason: 'CreateContainerConfigError', message: `secret "${ref.name}" not found` };
      }
    }
    if (this.registry && image.startsWith(`${this.registry.host}/`) && !this.hasPullCredentials(pod)) {
      return {
        image,
        reason: 'ImagePullBackOff',
        message: `Back-off pulling image "${image}": failed to authorize: 401 Unauthorized`,
      };
    }
    const rule = this.failures.find((candidate) =>
      typeof candidate.image === 'string' ? image.includes(candidate.image) : candidate.image.test(image),
    );
    if (rule) return rule;
    const nonRoot =
      (container.securityContext as JsonObject | undefined)?.runAsNonRoot ??
      pod.spec.securityContext?.runAsNonRoot;
    const user =
      (container.securityContext as JsonObject | undefined)?.runAsUser ?? pod.spec.securityContext?.runAsUser;
    if (nonRoot === true && (user === undefined || user === 0) && this.runsAsRoot(image)) {
      return {
        image,
        reason: 'CreateContainerConfigError',
        message: `container has runAsNonRoot and image will run as root (pod: "${pod.metadata.name}_${namespace}(${pod.metadata.uid})", container: ${container.name})`,
      };
    }
    return null;
  }

  private hasPullCredentials(pod: KubeObject): boolean {
    const registry = this.registry;
    if (!registry) return true;
    return ((pod.spec.imagePullSecrets ?? []) as JsonObject[]).some((ref) => {
      const secret = this.objects.get(key('secrets', pod.metadata.namespace ?? null, String(ref.name)));
      const encoded = secret?.data?.['.dockerconfigjson'];
      if (secret?.type !== 'kubernetes.io/dockerconfigjson' || !encoded) return false;
      const config = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8'));
      const auth = config.auths?.[registry.host];
      const decoded = auth?.auth
        ? Buffer.from(auth.auth, 'base64').toString('utf8')
        : `${auth?.username}:${auth?.password}`;
      return decoded === `${registry.username}:${registry.password}`;
    });
  }

  // ---- pod logs ----

  private writeLog(podId: string, text: string): void {
    const entry = { time: new Date(), text };
    this.podLogs.get(podId)?.push(entry);
    for (const follower of this.followers.get(podId) ?? [])
      follower.response.write(formatLog(entry, follower.timestamps));
  }

  private endLogs(podId: string): void {
    for (const follower of this.followers.get(podId) ?? []) follower.response.end();
    this.followers.delete(podId);
    this.podLogs.delete(podId);
  }

  private serveLog(namespace: string, name: string, query: URLSearchParams, response: ServerResponse): void {
    const pod = this.require('pods', namespace, name);
    const containers = (pod.spec.containers ?? []) as JsonObject[];
    const containerName =
      query.get('container') ?? (containers.length === 1 ? String(containers[0]?.name) : null);
    if (!containerName) {
      throw new ApiError(
        400,
        'BadRequest',
        `a container name must be specified for pod ${name}, choose one of: [${containers.map((c) => c.name).join(' ')}]`,
      );
    }
    const status = (pod.status.containerStatuses ?? []).find((s: JsonObject) => s.name === containerName);
    if (!status)
      throw new ApiError(400, 'BadRequest', `container ${containerName} is not valid for pod ${name}`);
    const previous = query.get('previous') === 'true';
    if (previous && !status.lastState?.terminated) {
      throw new ApiError(
        400,
        'BadRequest',
        `previous terminated container "${containerName}" in pod "${name}" not found`,
      );
    }
    const waiting = status.state?.waiting?.reason;
    if (!previous && waiting && waiting !== 'CrashLoopBackOff') {
      throw new ApiError(
        400,
        'BadRequest',
        `container "${containerName}" in pod "${name}" is waiting to start: ${waiting}`,
      );
    }
    const timestamps = query.get('timestamps') === 'true';
    let entries = [...(this.podLogs.get(podKey(pod)) ?? [])];
    const sinceTime = query.get('sinceTime');
    const sinceSeconds = query.get('sinceSeconds');
    if (sinceTime && sinceSeconds)
      throw new ApiError(422, 'Invalid', 'at most one of sinceTime or sinceSeconds may be specified');
    const since = sinceTime
      ? new Date(sinceTime)
      : sinceSeconds
        ? new Date(Date.now() - Number(sinceSeconds) * 1000)
        : null;
    if (since && Number.isNaN(since.getTime()))
      throw new ApiError(400, 'BadRequest', `invalid sinceTime ${sinceTime}`);
    if (since)
      entries = entries.filter((entry) => entry.time.getTime() >= Math.floor(since.getTime() / 1000) * 1000);
    const tailLines = query.get('tailLines');
    if (tailLines !== null) entries = Number(tailLines) <= 0 ? [] : entries.slice(-Number(tailLines));
    response.writeHead(200, { 'content-type': 'text/plain' });
    for (const entry of entries) response.write(formatLog(entry, timestamps));
    const follow =
      query.get('follow') === 'true' && !previous && !(status.state?.waiting || status.state?.terminated);
    if (!follow) {
      response.end();
      return;
    }
    const podId = podKey(pod);
    const follower = { response, timestamps };
    const set = this.followers.get(podId) ?? new Set<Follower>();
    set.add(follower);
    this.followers.set(podId, set);
    response.on('close', () => set.delete(follower));
  }
}

// ---- API server checks beyond the OpenAPI schemas ----

type Cause = { field: string; message: string };

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const PORT_NAME = /^(?=.*[a-z])[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

function apiServerChecks(
  resource: ResourceName,
  object: KubeObject,
  previous: KubeObject | undefined,
): Cause[] {
  const causes: Cause[] = [];
  const add = (field: string, message: string) => causes.push({ field, message });
  const { metadata } = object;
  const nameRule = RESOURCES[resource].nameRule;
  const name = metadata.name;
  if (nameRule === 'dns-label' && !(name.length <= 63 && DNS_LABEL.test(name))) {
    add(
      'metadata.name',
      `Invalid value: "${name}": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (at most 63 characters)`,
    );
  }
  if (nameRule === 'dns-1035-label' && !(name.length <= 63 && DNS_1035_LABEL.test(name))) {
    add(
      'metadata.name',
      `Invalid value: "${name}": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (at most 63 characters)`,
    );
  }
  if (nameRule === 'dns-subdomain' && !(name.length <= 253 && DNS_SUBDOMAIN.test(name))) {
    add(
      'metadata.name',
      `Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.'`,
    );
  }
  checkLabels('metadata.labels', metadata.labels, add);
  for (const annotation of Object.keys(metadata.annotations ?? {}))
    checkQualifiedKey('metadata.annotations', annotation, add);
  if (JSON.stringify(metadata.annotations ?? {}).length > 256 * 1024)
    add('metadata.annotations', 'Too long: must have at most 262144 bytes');

  if (resource === 'deployments') {
    const spec = object.spec ?? {};
    const selector = spec.selector?.matchLabels ?? {};
    const templateLabels = spec.template?.metadata?.labels ?? {};
    if (Object.keys(selector).length === 0 && !(spec.selector?.matchExpressions ?? []).length) {
      add('spec.selector', 'Invalid value: empty selector is invalid for deployment');
    }
    checkLabels('spec.selector.matchLabels', selector, add);
    checkLabels('spec.template.metadata.labels', templateLabels, add);
    if (!Object.entries(selector).every(([k, v]) => templateLabels[k] === v)) {
      add('spec.template.metadata.labels', '`selector` does not match template `labels`');
    }
    if (previous && JSON.stringify(previous.spec?.selector) !== JSON.stringify(spec.selector)) {
      add('spec.selector', 'Invalid value: field is immutable');
    }
    if ((spec.template?.spec?.restartPolicy ?? 'Always') !== 'Always') {
      add('spec.template.spec.restartPolicy', 'Unsupported value: only "Always" is supported');
    }
    causes.push(...podSpecChecks('spec.template.spec', spec.template?.spec ?? {}));
  }
  if (resource === 'pods') causes.push(...podSpecChecks('spec', object.spec ?? {}));
  if (resource === 'jobs') {
    const policy = object.spec?.template?.spec?.restartPolicy;
    if (policy !== 'Never' && policy !== 'OnFailure') {
      add(
        'spec.template.spec.restartPolicy',
        `Unsupported value: "${policy ?? 'Always'}": supported values: "OnFailure", "Never"`,
      );
    }
    causes.push(...podSpecChecks('spec.template.spec', object.spec?.template?.spec ?? {}));
  }
  if (resource === 'secrets') {
    let size = 0;
    for (const [dataKey, value] of Object.entries((object.data ?? {}) as Record<string, string>)) {
      if (!SECRET_KEY.test(dataKey))
        add(
          `data[${dataKey}]`,
          "Invalid value: a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
        );
      size += Buffer.from(String(value), 'base64').length;
    }
    if (size > 1024 * 1024) add('data', 'Too long: must have at most 1048576 bytes');
    if (object.type === 'kubernetes.io/dockerconfigjson') {
      const encoded = object.data?.['.dockerconfigjson'];
      if (!encoded) add('data[.dockerconfigjson]', 'Required value');
      else {
        try {
          JSON.parse(Buffer.from(encoded, 'base64').toString('utf8'));
        } catch {
          add('data[.dockerconfigjson]', 'Invalid value: "<secret contents redacted>": invalid character');
        }
      }
    }
    if (previous && previous.type !== object.type) add('type', 'Invalid value: field is immutable');
    if (previous?.immutable === true && JSON.stringify(previous.data) !== JSON.stringify(object.data)) {
      add('data', 'Forbidden: field is immutable when `immutable` is set');
    }
  }
  if (resource === 'services') {
    const ports = (object.spec?.ports ?? []) as JsonObject[];
    if (ports.length === 0 && object.spec?.type !== 'ExternalName') add('spec.ports', 'Required value');
    for (const [index, port] of ports.entries()) {
      if (ports.length > 1 && !port.name) add(`spec.ports[${index}].name`, 'Required value');
      const number = Number(port.port);
      if (!(number >= 1 && number <= 65535))
        add(`spec.ports[${index}].port`, 'Invalid value: must be between 1 and 65535');
    }
    checkLabels('spec.selector', object.spec?.selector, add);
    if (previous?.spec?.clusterIP && object.spec?.clusterIP !== previous.spec.clusterIP) {
      add('spec.clusterIP', 'Invalid value: field is immutable');
    }
  }
  return causes;
}

function podSpecChecks(path: string, spec: JsonObject): Cause[] {
  const causes: Cause[] = [];
  const add = (field: string, message: string) => causes.push({ field, message });
  const containers = (spec.containers ?? []) as JsonObject[];
  if (containers.length === 0) add(`${path}.containers`, 'Required value');
  const names = new Set<string>();
  for (const [index, container] of containers.entries()) {
    const at = `${path}.containers[${index}]`;
    const name = String(container.name ?? '');
    if (!(name.length <= 63 && DNS_LABEL.test(name)))
      add(`${at}.name`, `Invalid value: "${name}": must be a DNS label`);
    if (names.has(name)) add(`${at}.name`, `Duplicate value: "${name}"`);
    names.add(name);
    if (!container.image) add(`${at}.image`, 'Required value');
    const portNames = new Set<string>();
    for (const [p, port] of ((container.ports ?? []) as JsonObject[]).entries()) {
      const number = Number(port.containerPort);
      if (!(number >= 1 && number <= 65535))
        add(`${at}.ports[${p}].containerPort`, 'Invalid value: must be between 1 and 65535');
      if (port.name !== undefined) {
        const portName = String(port.name);
        if (!(portName.length <= 15 && PORT_NAME.test(portName)))
          add(`${at}.ports[${p}].name`, `Invalid value: "${portName}": must be an IANA_SVC_NAME`);
        if (portNames.has(portName)) add(`${at}.ports[${p}].name`, `Duplicate value: "${portName}"`);
        portNames.add(portName);
      }
    }
    for (const [e, variable] of ((container.env ?? []) as JsonObject[]).entries()) {
      if (!ENV_NAME.test(String(variable.name)))
        add(
          `${at}.env[${e}].name`,
          'Invalid value: a valid environment variable name must consist of alphabetic characters, digits, _, - or .',
        );
    }
    for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe'] as const) {
      const httpGet = (container[probe] as JsonObject | undefined)?.httpGet as JsonObject | undefined;
      if (!httpGet) continue;
      const port = httpGet.port;
      if (
        typeof port === 'number'
          ? !(port >= 1 && port <= 65535)
          : !(String(port).length <= 15 && PORT_NAME.test(String(port)))
      ) {
        add(`${at}.${probe}.httpGet.port`, `Invalid value: ${JSON.stringify(port)}`);
      }
      if (httpGet.path !== undefined && !String(httpGet.path).startsWith('/'))
        add(`${at}.${probe}.httpGet.path`, 'Invalid value: must be an absolute path');
    }
    for (const probe of ['livenessProbe', 'startupProbe'] as const) {
      const threshold = (container[probe] as JsonObject | undefined)?.successThreshold;
      if (threshold !== undefined && threshold !== 1)
        add(`${at}.${probe}.successThreshold`, 'Invalid value: must be 1');
    }
    const resources = (container.resources ?? {}) as {
      requests?: Record<string, string>;
      limits?: Record<string, string>;
    };
    for (const [resource, request] of Object.entries(resources.requests ?? {})) {
      const limit = resources.limits?.[resource];
      if (limit !== undefined && quantity(request) > quantity(limit)) {
        add(
          `${at}.resources.requests[${resource}]`,
          `Invalid value: "${request}": must be less than or equal to ${resource} limit of ${limit}`,
        );
      }
    }
    const securityContext = (container.securityContext ?? {}) as JsonObject;
    if (securityContext.privileged === true && securityContext.allowPrivilegeEscalation === false) {
      add(
        `${at}.securityContext`,
        'Invalid value: cannot set `allowPrivilegeEscalation` to false and `privileged` to true',
      );
    }
  }
  return causes;
}

function checkLabels(field: string, labels: unknown, add: (field: string, message: string) => void): void {
  if (!labels || typeof labels !== 'object') return;
  for (const [labelKey, value] of Object.entries(labels as Record<string, unknown>)) {
    checkQualifiedKey(field, labelKey, add);
    if (typeof value !== 'string' || value.length > 63 || !LABEL_VALUE.test(value)) {
      add(
        `${field}[${labelKey}]`,
        `Invalid value: ${JSON.stringify(value)}: a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (at most 63 characters)`,
      );
    }
  }
}

function checkQualifiedKey(
  field: string,
  qualifiedKey: string,
  add: (field: string, message: string) => void,
): void {
  const slash = qualifiedKey.indexOf('/');
  const prefix = slash >= 0 ? qualifiedKey.slice(0, slash) : null;
  const name = slash >= 0 ? qualifiedKey.slice(slash + 1) : qualifiedKey;
  const prefixOk = prefix === null || (prefix.length <= 253 && DNS_SUBDOMAIN.test(prefix));
  if (!prefixOk || name.length > 63 || !QUALIFIED_NAME.test(name)) {
    add(
      field,
      `Invalid value: "${qualifiedKey}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
    );
  }
}

const QUANTITY_SUFFIXES: Record<string, number> = {
  '': 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
};

function quantity(value: string | number): number {
  const match = /^([0-9.]+)([a-zA-Z]*)$/.exec(String(value));
  if (!match) return Number.NaN;
  return Number(match[1]) * (QUANTITY_SUFFIXES[match[2] ?? ''] ?? Number.NaN);
}

function probeCanSucceed(container: JsonObject): boolean {
  const port = ((container.readinessProbe as JsonObject | undefined)?.httpGet as JsonObject | undefined)
    ?.port;
  if (port === undefined || typeof port === 'number') return true;
  return ((container.ports ?? []) as JsonObject[]).some((p) => p.name === port);
}

function portOf(container: JsonObject): string {
  const port = ((container.ports ?? []) as JsonObject[])[0]?.containerPort;
  return port === undefined ? '?' : String(port);
}

// ---- defaults the API server fills in ----

function applyDefaults(
  resource: ResourceName,
  object: KubeObject,
  previous: KubeObject | undefined,
  allocateIp: () => string,
): void {
  if (resource === 'namespaces') {
    object.metadata.labels = {
      ...object.metadata.labels,
      'kubernetes.io/metadata.name': object.metadata.name,
    };
    object.spec = { finalizers: ['kubernetes'], ...object.spec };
    object.status ??= { phase: 'Active' };
  }
  if (resource === 'secrets') object.type ??= 'Opaque';
  if (resource === 'jobs') {
    object.spec.backoffLimit ??= 6;
    object.spec.completions ??= 1;
    object.spec.parallelism ??= 1;
    if (!previous) delete object.status;
    object.status ??= {};
  }
  if (resource === 'deployments') {
    object.spec.replicas ??= 1;
    object.spec.revisionHistoryLimit ??= 10;
    object.spec.progressDeadlineSeconds ??= 600;
    object.spec.strategy ??= {
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
    };
    if (!previous) delete object.status;
    object.status ??= {};
  }
  if (resource === 'services') {
    object.spec.type ??= 'ClusterIP';
    object.spec.sessionAffinity ??= 'None';
    for (const port of (object.spec.ports ?? []) as JsonObject[]) {
      port.protocol ??= 'TCP';
      port.targetPort ??= port.port ?? null;
    }
    // An update without clusterIP keeps the allocated one (as the API server does since 1.20).
    if (previous?.spec?.clusterIP && object.spec.clusterIP === undefined) {
      object.spec.clusterIP = previous.spec.clusterIP;
      object.spec.clusterIPs = previous.spec.clusterIPs;
    }
    if (!previous && object.spec.type === 'ClusterIP' && object.spec.clusterIP === undefined) {
      const ip = allocateIp();
      object.spec.clusterIP = ip;
      object.spec.clusterIPs = [ip];
    }
    object.status ??= { loadBalancer: {} };
  }
}

// ---- patches ----

function mergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return clone(patch);
  const result: JsonObject = isObject(target) ? { ...target } : {};
  for (const [k, value] of Object.entries(patch)) {
    if (value === null) delete result[k];
    else result[k] = mergePatch(result[k] ?? null, value);
  }
  return result;
}

/** Lists merged by key, as the strategic merge patch does for the fields Rise could touch. */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  env: 'name',
  envFrom: '',
  ports: 'containerPort',
  volumes: 'name',
  volumeMounts: 'mountPath',
  imagePullSecrets: 'name',
  conditions: 'type',
};

function strategicMergePatch(target: Json, patch: Json, field = ''): Json {
  if (Array.isArray(patch) && Array.isArray(target) && MERGE_KEYS[field]) {
    const mergeKey = MERGE_KEYS[field];
    const result = target.map((item) => clone(item));
    for (const item of patch) {
      if (!isObject(item)) continue;
      const index = result.findIndex(
        (existing) => isObject(existing) && existing[mergeKey] === item[mergeKey],
      );
      if (item.$patch === 'delete') {
        if (index >= 0) result.splice(index, 1);
      } else if (index >= 0) result[index] = strategicMergePatch(result[index] ?? null, item);
      else result.push(item);
    }
    return result;
  }
  if (!isObject(patch)) return clone(patch);
  if (patch.$patch === 'replace') {
    const { $patch: _ignored, ...rest } = patch;
    return rest;
  }
  const result: JsonObject = isObject(target) ? { ...target } : {};
  for (const [k, value] of Object.entries(patch)) {
    if (k.startsWith('$')) continue;
    if (value === null) delete result[k];
    else result[k] = strategicMergePatch(result[k] ?? null, value, k);
  }
  return result;
}

function applyJsonPatch(target: Json, patch: Json): Json {
  if (!Array.isArray(patch))
    throw new ApiError(400, 'BadRequest', 'a JSON patch must be an array of operations');
  let document = clone(target);
  for (const operation of patch) {
    if (!isObject(operation)) throw new ApiError(400, 'BadRequest', 'invalid JSON patch operation');
    const op = String(operation.op);
    const path = pointer(String(operation.path ?? ''));
    if (op === 'add' || op === 'replace')
      document = setAt(document, path, clone(operation.value ?? null), op);
    else if (op === 'remove') document = removeAt(document, path);
    else if (op === 'test') {
      if (JSON.stringify(getAt(document, path)) !== JSON.stringify(operation.value)) {
        throw new ApiError(422, 'Invalid', `the test operation on ${operation.path} failed`);
      }
    } else if (op === 'copy' || op === 'move') {
      const from = pointer(String(operation.from ?? ''));
      const value = clone(getAt(document, from));
      if (op === 'move') document = removeAt(document, from);
      document = setAt(document, path, value, 'add');
    } else throw new ApiError(400, 'BadRequest', `unknown JSON patch operation ${op}`);
  }
  return document;
}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw new ApiError(400, 'BadRequest', `invalid JSON pointer ${path}`);
  return path
    .slice(1)
    .split('/')
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'));
}

function getAt(document: Json, path: string[]): Json {
  let node: Json = document;
  for (const part of path) {
    if (Array.isArray(node)) node = node[Number(part)] ?? null;
    else if (isObject(node) && part in node) node = node[part] ?? null;
    else throw new ApiError(422, 'Invalid', `path /${path.join('/')} does not exist`);
  }
  return node;
}

function setAt(document: Json, path: string[], value: Json, op: 'add' | 'replace'): Json {
  if (path.length === 0) return value;
  const parent = getAt(document, path.slice(0, -1));
  const last = path.at(-1) ?? '';
  if (Array.isArray(parent)) {
    const index = last === '-' ? parent.length : Number(last);
    if (op === 'add') parent.splice(index, 0, value);
    else parent[index] = value;
  } else if (isObject(parent)) {
    if (op === 'replace' && !(last in parent))
      throw new ApiError(422, 'Invalid', `path /${path.join('/')} does not exist`);
    parent[last] = value;
  } else throw new ApiError(422, 'Invalid', `path /${path.join('/')} does not exist`);
  return document;
}

function removeAt(document: Json, path: string[]): Json {
  const parent = getAt(document, path.slice(0, -1));
  const last = path.at(-1) ?? '';
  if (Array.isArray(parent)) parent.splice(Number(last), 1);
  else if (isObject(parent) && last in parent) delete parent[last];
  else throw new ApiError(422, 'Invalid', `path /${path.join('/')} does not exist`);
  return document;
}

// ---- label selectors ----

type Requirement =
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | '!exists' };

function parseSelector(selector: string | null): Requirement[] {
  if (!selector) return [];
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of selector) {
    if (char === '(') depth++;
    if (char === ')') depth--;
    if (char === ',' && depth === 0) {
      terms.push(current);
      current = '';
    } else current += char;
  }
  terms.push(current);
  return terms.map((raw) => {
    const term = raw.trim();
    let match = /^(\S+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
    if (match) {
      return {
        key: match[1] ?? '',
        op: match[2] as 'in' | 'notin',
        values: (match[3] ?? '').split(',').map((v) => v.trim()),
      };
    }
    match = /^([^!=\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(term);
    if (match)
      return { key: match[1] ?? '', op: match[2] === '!=' ? 'notin' : 'in', values: [match[3] ?? ''] };
    if (/^![^!=\s]+$/.test(term)) return { key: term.slice(1), op: '!exists' };
    if (/^[^!=\s()]+$/.test(term)) return { key: term, op: 'exists' };
    throw new ApiError(400, 'BadRequest', `unable to parse requirement: ${JSON.stringify(term)}`);
  });
}

function matches(requirements: Requirement[], labels: Record<string, string> | undefined): boolean {
  return requirements.every((requirement) => {
    const value = labels?.[requirement.key];
    switch (requirement.op) {
      case 'exists':
        return value !== undefined;
      case '!exists':
        return value === undefined;
      case 'in':
        return value !== undefined && requirement.values.includes(value);
      default:
        return value === undefined || !requirement.values.includes(value);
    }
  });
}

// ---- helpers ----

function key(resource: ResourceName, namespace: string | null, name: string): string {
  return RESOURCES[resource].namespaced ? `${resource}/${namespace ?? ''}/${name}` : `${resource}//${name}`;
}

function podKey(pod: KubeObject): string {
  return `${pod.metadata.namespace}/${pod.metadata.name}/${pod.metadata.uid}`;
}

function qualified(resource: ResourceName): string {
  const group = RESOURCES[resource].group;
  return group ? `${resource}.${group}` : resource;
}

function resourceOfKind(kind: string): ResourceName {
  const found = (Object.keys(RESOURCES) as ResourceName[]).find(
    (resource) => RESOURCES[resource].kind === kind,
  );
  if (!found) throw new Error(`fake Kubernetes API: unsupported kind ${kind}`);
  return found;
}

function checkTypeMeta(resource: ResourceName, object: KubeObject): void {
  const info = RESOURCES[resource];
  const apiVersion = info.group ? `${info.group}/${info.version}` : info.version;
  if (object.kind !== undefined && object.kind !== info.kind) {
    throw new ApiError(
      400,
      'BadRequest',
      `the API version in the data (${object.apiVersion}) does not match the expected API version (${apiVersion}) / kind ${info.kind}`,
    );
  }
  if (object.apiVersion !== undefined && object.apiVersion !== apiVersion) {
    throw new ApiError(
      400,
      'BadRequest',
      `the API version in the data (${object.apiVersion}) does not match the expected API version (${apiVersion})`,
    );
  }
  object.kind = info.kind;
  object.apiVersion = apiVersion;
}

function notFoundError(resource: ResourceName, name: string): ApiError {
  return new ApiError(404, 'NotFound', `${qualified(resource)} "${name}" not found`, {
    name,
    group: RESOURCES[resource].group,
    kind: resource,
  });
}

function invalid(resource: ResourceName, name: string, causes: Cause[]): ApiError {
  const info = RESOURCES[resource];
  const kind = info.group ? `${info.kind}.${info.group}` : info.kind;
  const list = causes.map((cause) => `${cause.field}: ${cause.message}`).join(', ');
  return new ApiError(422, 'Invalid', `${kind} "${name}" is invalid: ${list}`, {
    name,
    group: info.group,
    kind: info.kind,
    causes: causes.map((cause) => ({
      reason: 'FieldValueInvalid',
      message: cause.message,
      field: cause.field,
    })),
  });
}

function defaultMessage(reason: string, image: string, pod: KubeObject): string {
  switch (reason) {
    case 'CrashLoopBackOff':
      return `back-off 10s restarting failed container=app pod=${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;
    case 'ImagePullBackOff':
      return `Back-off pulling image "${image}"`;
    case 'ErrImagePull':
      return `rpc error: code = NotFound desc = failed to pull and unpack image "${image}": not found`;
    case 'InvalidImageName':
      return `Failed to apply default image tag "${image}": couldn't parse image name`;
    default:
      return `${reason} (fake kubelet)`;
  }
}

function templateHash(template: Json): string {
  return createHash('sha256').update(JSON.stringify(template)).digest('hex').slice(0, 10);
}

function formatLog(entry: LogEntry, timestamps: boolean): string {
  // RFC 3339 with nanoseconds, as the kubelet writes them.
  const time = `${entry.time.toISOString().slice(0, 23)}000000Z`;
  return timestamps ? `${time} ${entry.text}\n` : `${entry.text}\n`;
}

function timestamp(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

function requireContentType<T extends string>(contentType: string | null, allowed: readonly T[]): T {
  if (contentType && (allowed as readonly string[]).includes(contentType)) return contentType as T;
  throw new ApiError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${allowed.join(', ')}`,
  );
}

function parseJson(body: string): Json {
  try {
    return JSON.parse(body) as Json;
  } catch (error) {
    throw new ApiError(400, 'BadRequest', `the request body is not JSON: ${(error as Error).message}`);
  }
}

function parseJsonOrText(body: string): Json {
  try {
    return JSON.parse(body) as Json;
  } catch {
    return body;
  }
}

function parseObject(body: string): KubeObject {
  const value = parseJson(body);
  if (!isObject(value)) throw new ApiError(400, 'BadRequest', 'the request body is not an object');
  return value as unknown as KubeObject;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function clone<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, code: number, body: unknown): void {
  response.writeHead(code, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

function sendStatus(response: ServerResponse, error: ApiError): void {
  send(response, error.code, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: error.message,
    reason: error.reason,
    details: error.details,
    code: error.code,
  });
}
