import type {
  AppsV1Api,
  BatchV1Api,
  ConfigurationOptions,
  CoreV1Api,
  CustomObjectsApi,
  Exec,
  KubeConfig,
  Log,
  NetworkingV1Api,
} from '@kubernetes/client-node';

/**
 * The only place that loads @kubernetes/client-node. It is loaded on first use (it takes about a
 * second), so installations that run Docker only never pay for it.
 */
type KubeClientModule = typeof import('@kubernetes/client-node');

let loading: Promise<KubeClientModule> | null = null;

export function loadKubeClient(): Promise<KubeClientModule> {
  loading ??= import('@kubernetes/client-node');
  return loading;
}

/**
 * Cluster access: the pod's ServiceAccount when Rise runs in the cluster (RISE_KUBE_IN_CLUSTER=true),
 * else the default kubeconfig ($KUBECONFIG or ~/.kube/config, its current context).
 */
export async function loadKubeConfig(options: { inCluster: boolean }): Promise<KubeConfig> {
  const { KubeConfig } = await loadKubeClient();
  const config = new KubeConfig();
  if (options.inCluster) config.loadFromCluster();
  else config.loadFromDefault();
  return config;
}

export type KubeApis = {
  core: CoreV1Api;
  apps: AppsV1Api;
  /** Jobs: one-off commands (release, post-deploy, `rise run`). */
  batch: BatchV1Api;
  networking: NetworkingV1Api;
  log: Log;
  /** Commands in a running pod (pods/exec over a WebSocket, the channel protocol). */
  exec: Exec;
  /** For the metrics API (metrics.k8s.io), where a metrics server serves it. */
  custom: CustomObjectsApi;
  /** Request options that send a PATCH as a JSON merge patch (RFC 7386); the client defaults to JSON Patch. */
  mergePatch: ConfigurationOptions;
};

export async function createKubeApis(config: KubeConfig): Promise<KubeApis> {
  const client = await loadKubeClient();
  return {
    core: config.makeApiClient(client.CoreV1Api),
    apps: config.makeApiClient(client.AppsV1Api),
    batch: config.makeApiClient(client.BatchV1Api),
    networking: config.makeApiClient(client.NetworkingV1Api),
    log: new client.Log(config),
    exec: new client.Exec(config),
    custom: config.makeApiClient(client.CustomObjectsApi),
    mergePatch: client.setHeaderOptions('Content-Type', client.PatchStrategy.MergePatch),
  };
}

/** Where cluster access comes from: a loaded config, or a loader called on first use. */
export type KubeConfigSource = KubeConfig | (() => Promise<KubeConfig>);

/**
 * The APIs for `source`, created on the first call and shared by later ones. A failed load is
 * forgotten, so the next call tries again instead of repeating the same rejection forever.
 */
export function lazyKubeApis(source: KubeConfigSource): () => Promise<KubeApis> {
  let loading: Promise<KubeApis> | null = null;
  return () => {
    loading ??= (async () => createKubeApis(typeof source === 'function' ? await source() : source))();
    loading.catch(() => {
      loading = null;
    });
    return loading;
  };
}

/** The HTTP status of a failed API call (the client's ApiException), or undefined for other errors. */
export function kubeStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const code = (error as { code: unknown }).code;
  return typeof code === 'number' ? code : undefined;
}

/** The API server's own message (its Status object), else the error's message. */
export function kubeMessage(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'body' in error) {
    const body = (error as { body: unknown }).body;
    const status = typeof body === 'string' ? parseJson(body) : body;
    if (typeof status === 'object' && status !== null && 'message' in status) {
      const message = (status as { message: unknown }).message;
      if (typeof message === 'string' && message) return message;
    }
    const code = kubeStatus(error);
    if (code !== undefined)
      return `HTTP ${code}${typeof body === 'string' && body ? `: ${body.slice(0, 200)}` : ''}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Runs `call`; resolves to null when the API answers one of `statuses` (e.g. 404 for "already gone"). */
export async function ignoreKubeStatus<T>(statuses: number[], call: () => Promise<T>): Promise<T | null> {
  try {
    return await call();
  } catch (error) {
    const status = kubeStatus(error);
    if (status !== undefined && statuses.includes(status)) return null;
    throw error;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
