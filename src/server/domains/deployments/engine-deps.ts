import type { Router } from '@/server/proxy/types';
import type { InstanceVolume, Runtime } from '@/server/runtime/types';
import type { NotificationKind } from '@/shared/notifications/notification-kinds';
import type { Clock } from './engine-clock';
import type { EngineRepos } from './engine-repos';

/** The project an image is resolved for. */
export type ImageProject = { id: string; name: string };

/** Everything the deploy engine needs from outside, passed in so domains stay framework-free. */
export type EngineDeps = {
  runtime: Runtime;
  proxy: Router;
  /**
   * Pins an image reference to a digest and says how to run it pinned, for one project: both refuse
   * (AppError FORBIDDEN) an image the project may not run, so every start re-checks it.
   */
  images: {
    resolve(image: string, project: ImageProject): Promise<{ digest: string }>;
    pinned(image: string, digest: string, project: ImageProject): Promise<string>;
  };
  /** A deployment's plain env: the project's env vars with the deployment's own overrides winning. */
  resolveEnv(projectId: string, deploymentId: string): Promise<Record<string, string>>;
  /** The project's named volumes (`volumeMountsFor`); absent: instances run without volumes. */
  resolveVolumes?(projectId: string): Promise<InstanceVolume[]>;
  /** Removes what the runtime keeps per project beyond its instances (Kubernetes: the namespace). */
  deleteProject?(project: string): Promise<void>;
  settings: EngineSettings;
  /**
   * Upstream mode `host`: what else on this host holds ports of RISE_APP_PORT_RANGE (another
   * installation's containers, unrelated servers), beyond the slot ports Rise's database gave out.
   * Absent: only the database is consulted.
   */
  hostPorts?: HostPortCheck;
  /** The database as the engine uses it; `deploymentEngineRepos` (engine.repo.ts) in production. */
  repos: EngineRepos;
  clock: Clock;
  /** Tells people (`raiseNotification`); absent: nobody is told (unit tests). */
  notify?: (event: EngineNotification) => Promise<unknown>;
};

export type EngineNotification = {
  kind: NotificationKind;
  projectId: string;
  title: string;
  details: Record<string, unknown>;
};

/** `check()` starts one allocation (reading what is published once); the function tests one port. */
export type HostPortCheck = { check(): Promise<(port: number) => Promise<boolean>> };

export type EngineSettings = {
  upstreamMode: 'host' | 'network';
  portRange: [number, number];
  baseDomain: string;
  health: { timeoutMs: number; intervalMs: number; attempts: number };
  /**
   * Pause between moving traffic off the old instance and its SIGTERM, so requests it was already
   * answering finish even in an app that exits at once on SIGTERM.
   */
  settleMs: number;
  /** How long a release or post-deploy command may run before it is killed (RISE_RELEASE_TIMEOUT). */
  releaseTimeoutMs: number;
  /** SIGTERM grace for an instance being removed. */
  stopGraceMs: number;
  /**
   * A process other than web (a worker) counts as started once all its replicas ran this long without
   * exiting (RISE_PROCESS_GRACE_S); absent: 10 s.
   */
  processGraceMs?: number;
  /** In-progress deployments untouched for this long are failed by the reconciler. */
  stuckAfterMs: number;
  /** Crash restarts: first delay, doubled each time, capped. */
  restartBackoff: { initialMs: number; maxMs: number };
  /**
   * `restarts` restarts with no run of `stableAfterMs` between them make an app crash-looping; such a
   * run resets the restart count (and so the backoff) and ends the crash loop.
   */
  crashLoop: { restarts: number; stableAfterMs: number };
};
