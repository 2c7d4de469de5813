import { isIP } from 'node:net';
import { z } from 'zod';
import { subnetPoolProblem } from './server/docker/subnet-pool';
import { metricsAddress } from './server/metrics/metrics-address';
import {
  defaultInternalUrl,
  defaultRegistryInternalUrl,
  normaliseOrigin,
  originProblem,
} from './server/platform/internal-addresses';
import { parseAdminAddress } from './server/proxy/admin-address';
import {
  DEFAULT_GROUP_HOST_TEMPLATE,
  expiryDuration,
  groupHostTemplateProblem,
} from './shared/deployment-groups';

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: "expected 'true' or 'false'" })
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

/** An IPv4 or IPv6 network, `address/prefix` (what Caddy's trusted_proxies takes). */
const cidr = z.string().refine(
  (value) => {
    const [address, prefix, extra] = value.split('/');
    const family = isIP(address ?? '');
    const bits = Number(prefix);
    return (
      extra === undefined && family !== 0 && /^\d+$/.test(prefix ?? '') && bits <= (family === 4 ? 32 : 128)
    );
  },
  { message: 'expected CIDRs such as 10.212.0.0/24 or 127.0.0.1/32, separated by commas' },
);

const commaList = z.string().transform((value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean),
);

const url = z.url({ message: 'expected an absolute URL such as https://example.com' });

/** An origin (`http://host:port`) of one of `schemes`, without a path; stored without a trailing slash. */
const origin = (...schemes: ('http' | 'https')[]) =>
  z
    .string()
    .superRefine((value, ctx) => {
      const problem = originProblem(value, schemes);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .transform(normaliseOrigin);

const caddyAdminUrl = z.string().refine((value) => parseAdminAddress(value) !== null, {
  message: 'expected http://host:port or unix:///absolute/path/to/admin.sock',
});

// 32 bytes, as base64 or hex: the AES-256-GCM key for secrets at rest.
const encryptionKey = z.string().refine((value) => decodeKey(value) !== null, {
  message:
    'expected 32 bytes encoded as base64 or 64 hex characters (generate with `openssl rand -base64 32`)',
});

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, { message: 'expected a postgres:// or postgresql:// connection URL' })
    .optional(),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  // Address `npm start` binds the web server to; 0.0.0.0 to accept connections from other machines.
  RISE_HOST: z.string().default('127.0.0.1'),
  RISE_EMBEDDED_POSTGRES_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  // Next.js rewrites loopback IPs in request URLs to `localhost`; normalising here keeps OIDC
  // redirect URIs and cookies on one host name. Unset: http://localhost:<PORT> (parseEnv).
  RISE_URL: url
    .default('http://localhost:3000')
    .transform((value) =>
      value.replace(/^(https?:\/\/)(127\.0\.0\.1|\[::1\])(?=[:/]|$)/, '$1localhost').replace(/\/+$/, ''),
    ),
  // How Rise's own processes and Caddy reach the web server (Caddy's dashboard upstream, forward-auth
  // of private projects, the on-demand TLS `ask`): `http://web:3000` in the compose stack. Unset:
  // RISE_URL when that is the web server itself (its port is not Caddy's), else RISE_HOST (a wildcard
  // bind address as 127.0.0.1) on PORT (parseEnv).
  RISE_INTERNAL_URL: origin('http').optional(),
  RISE_BASE_DOMAIN: z
    .string()
    .regex(/^[a-z0-9.-]+$/, { message: 'expected a domain name such as rise.dev' })
    .default('localhost'),
  // Hosts of preview deployment groups (`rise d c -g mr/26`): {project}, {group} (its slug, `mr--26`)
  // and {base} (RISE_BASE_DOMAIN). Applies to groups created after a change.
  RISE_GROUP_HOST_TEMPLATE: z
    .string()
    .superRefine((value, context) => {
      const problem = groupHostTemplateProblem(value);
      if (problem) context.addIssue({ code: 'custom', message: problem });
    })
    .default(DEFAULT_GROUP_HOST_TEMPLATE),
  // Preview groups a project may have at once (the default group does not count).
  RISE_MAX_GROUPS_PER_PROJECT: z.coerce.number().int().min(0).max(1000).default(20),
  RISE_DATA_DIR: z.string().default('.rise'),
  // How apps are served: TLS by Caddy's ACME, by its internal CA, or plain HTTP (the local default).
  RISE_TLS_MODE: z.enum(['acme', 'internal', 'off']).optional(),
  // Port of the app URLs when it is not the scheme's default (e.g. Caddy on :8080 locally).
  RISE_APPS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  AUTH_SECRET: z.string().min(32, { message: 'expected at least 32 characters' }).optional(),
  RISE_ENCRYPTION_KEY: encryptionKey.optional(),
  RISE_OIDC_ISSUER: url.optional(),
  RISE_OIDC_CLIENT_ID: z.string().min(1).optional(),
  RISE_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  RISE_OIDC_NAME: z.string().min(1).default('SSO'),
  // Email + password accounts kept by Rise. Unset: on exactly when no OIDC provider is configured.
  RISE_LOCAL_AUTH: booleanFlag.optional(),
  RISE_ADMIN_EMAILS: commaList.default([]),
  RISE_TRUSTED_ISSUERS: commaList.pipe(z.array(url)).default([]),
  RISE_WORKER_QUEUES: commaList.optional(),
  // Routing: Caddy's admin API, the ports Rise's Caddy server listens on, and how it reaches apps:
  // `host` = published ports on 127.0.0.1 (Caddy on the host), `network` = slot aliases on the
  // Docker network (Caddy in a container on RISE_DOCKER_NETWORK).
  // An http(s) URL, or `unix:///path/to/admin.sock` for an admin API on a unix socket (only processes
  // that can open the file reach it; docker-compose.yml shares it with web and worker only).
  RISE_CADDY_ADMIN_URL: caddyAdminUrl.default('http://127.0.0.1:2019'),
  RISE_PROXY_HTTP_PORT: z.coerce.number().int().min(1).max(65535).default(80),
  RISE_PROXY_HTTPS_PORT: z.coerce.number().int().min(1).max(65535).default(443),
  RISE_PROXY_UPSTREAM_MODE: z.enum(['host', 'network']).default('host'),
  // Interface Rise's Caddy server listens on; unset = all interfaces.
  RISE_PROXY_BIND_HOST: z.string().min(1).optional(),
  // Where the worker's uptime checks reach Rise's proxy when not on the proxy's bind address (e.g.
  // `caddy` when the worker runs in another container); unset: RISE_PROXY_BIND_HOST or 127.0.0.1.
  RISE_UPTIME_PROXY_HOST: z.string().min(1).optional(),
  // Set by `npm start`, whose supervisor serves the apps' ports itself and forwards to Caddy: the
  // ports Caddy then listens on, on 127.0.0.1 (RISE_PROXY_HTTP(S)_PORT stay the public ones).
  RISE_PROXY_LISTEN_HTTP_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  RISE_PROXY_LISTEN_HTTPS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  // Addresses (CIDRs) of the edge in front of Caddy whose X-Forwarded-For Caddy keeps: compose's
  // `edge` service network. Under `npm start`, 127.0.0.1/32 (the supervisor's edge).
  RISE_PROXY_TRUSTED_PROXIES: commaList.pipe(z.array(cidr)).optional(),
  RISE_APP_PORT_RANGE: z
    .string()
    .regex(/^\d+-\d+$/, { message: 'expected FIRST-LAST, e.g. 20000-29999' })
    .transform((value) => value.split('-').map(Number) as [number, number])
    .refine(([first, last]) => first >= 1024 && last <= 65535 && first < last, {
      message: 'expected a range within 1024-65535',
    })
    .default([20000, 29999]),
  // Docker runtime: each project's apps and databases get their own bridge network
  // `<RISE_DOCKER_NETWORK>-<project>` (projects cannot reach each other); unset: `rise-apps`, or
  // `rise-apps.<RISE_INSTANCE_ID>` when that is not `rise`. Its subnet is a free /24 of
  // RISE_DOCKER_SUBNET_POOL (unset: Docker's default-address-pools, about 30 networks by default).
  // RISE_DOCKER_ATTACH_CONTAINERS: containers joined to every project network, i.e. Caddy and the
  // worker when they run in containers (upstream mode `network`), by container name.
  RISE_DOCKER_NETWORK: z
    .string()
    .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, { message: "expected letters, digits, '_', '.' or '-'" })
    .optional(),
  RISE_DOCKER_SUBNET_POOL: z
    .string()
    .superRefine((value, ctx) => {
      const problem = subnetPoolProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .optional(),
  RISE_DOCKER_ATTACH_CONTAINERS: commaList
    .pipe(
      z.array(
        z
          .string()
          .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, { message: 'expected container names, comma-separated' }),
      ),
    )
    .default([]),
  // Names this installation in the labels of what it creates; it never touches another's.
  RISE_INSTANCE_ID: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_.-]{0,62}$/, { message: 'expected lowercase letters, digits, ".", "_" or "-"' })
    .default('rise'),
  // Kubernetes runtime: cluster access (the pod's ServiceAccount, else $KUBECONFIG / ~/.kube/config),
  // where a project's objects go (`{project}` is replaced; a name without it, or RISE_KUBE_NAMESPACE,
  // puts every project in one namespace), and whether app containers must run as non-root.
  RISE_KUBE_IN_CLUSTER: booleanFlag.default(false),
  RISE_KUBE_NAMESPACE_FORMAT: z
    .string()
    .regex(/^([a-z0-9]|\{project\})([a-z0-9-]|\{project\})*$/, {
      message: "expected lowercase letters, digits, '-' and {project}, e.g. rise-{project}",
    })
    .default('rise-{project}'),
  RISE_KUBE_NAMESPACE: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, { message: 'expected a namespace name (a DNS label)' })
    .optional(),
  RISE_KUBE_RUN_AS_NON_ROOT: booleanFlag.default(false),
  // Kubernetes routing: each project gets an Ingress. Its IngressClass (else the cluster's default),
  // TLS from one Secret (e.g. a wildcard certificate) or per project from a cert-manager ClusterIssuer
  // (not with RISE_TLS_MODE=off), and the forward-auth URL private projects use (ingress-nginx
  // auth-url; default RISE_URL/api/proxy/auth).
  RISE_KUBE_INGRESS_CLASS: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/, { message: 'expected an IngressClass name' })
    .optional(),
  RISE_KUBE_TLS_SECRET: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/, { message: 'expected a Secret name' })
    .optional(),
  RISE_KUBE_CERT_MANAGER_ISSUER: z.string().min(1).optional(),
  RISE_KUBE_AUTH_URL: url.optional(),
  // Where the ingress controller reaches Rise's web Service (`host:port`) for the sign-in handshake of
  // private apps (`/.rise/auth/*` on every app host); the default is deploy/kubernetes/web.yaml's.
  RISE_KUBE_RISE_SERVICE: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*:\d{1,5}$/, {
      message: "expected <DNS name>:<port> of Rise's web Service, e.g. rise-web.rise.svc.cluster.local:80",
    })
    .default('rise-web.rise.svc.cluster.local:80'),
  // Deploy engine timings.
  RISE_HEALTH_CHECK_ATTEMPTS: z.coerce.number().int().min(1).default(60),
  RISE_HEALTH_CHECK_INTERVAL_MS: z.coerce.number().int().min(50).default(1000),
  RISE_HEALTH_CHECK_TIMEOUT_MS: z.coerce.number().int().min(50).default(2000),
  RISE_SWITCH_SETTLE_MS: z.coerce.number().int().min(0).default(1000),
  RISE_STOP_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
  RISE_DEPLOY_STUCK_AFTER_S: z.coerce.number().int().min(10).default(900),
  RISE_RESTART_BACKOFF_MS: z.coerce.number().int().min(100).default(5000),
  RISE_RESTART_BACKOFF_MAX_MS: z.coerce.number().int().min(100).default(300_000),
  // A crashed app's restart count (and crash-looping state) resets only after it ran this long.
  RISE_RESTART_STABLE_AFTER_S: z.coerce.number().int().min(1).default(600),
  // This many restarts with no stable run between them make the app `crash-looping`.
  RISE_CRASH_LOOP_RESTARTS: z.coerce.number().int().min(1).default(3),
  // A running app whose health path fails this many minute checks in a row is `health-failing`
  // (app.health-failing raised once per streak; failing: no answer within RISE_HEALTH_CHECK_TIMEOUT_MS or a status >= 400).
  RISE_HEALTH_FAILING_AFTER: z.coerce.number().int().min(1).max(1440).default(3),
  // certificate.failed is raised for a host whose certificate expires within this many days (or a
  // sixth of its lifetime, when shorter: Caddy's internal CA issues 12-hour certificates).
  RISE_CERT_WARN_DAYS: z.coerce.number().int().min(1).max(365).default(14),
  RISE_WORKER_SUPERVISE_SECONDS: z.coerce.number().int().min(1).default(15),
  // Base images of the Dockerfiles the `auto` builder generates (see src/shared/builders/auto/generate.ts).
  RISE_BUILD_NODE_IMAGE: z.string().min(1).default('node:24-bookworm-slim'),
  RISE_BUILD_PYTHON_IMAGE: z.string().min(1).default('python:3.12-slim'),
  RISE_BUILD_GO_IMAGE: z.string().min(1).default('golang:1.23-bookworm'),
  // Where compiled (Go) apps run: the final stage of their multi-stage build.
  RISE_BUILD_RUNTIME_IMAGE: z.string().min(1).default('debian:bookworm-slim'),
  // Static sites: a file-server image, the directory the site is copied to, and the command that
  // serves it on port 8080 (a JSON array or words separated by spaces).
  RISE_BUILD_STATIC_IMAGE: z.string().min(1).default('caddy:2'),
  RISE_BUILD_STATIC_ROOT: z.string().regex(/^\//, { message: 'expected an absolute path' }).default('/srv'),
  RISE_BUILD_STATIC_COMMAND: z.string().min(1).default('caddy file-server --root /srv --listen :8080'),
  // Managed databases: the images Rise runs them from (any image honouring the official images'
  // env contract, e.g. a mirror), and backups: where local destinations live (default
  // RISE_DATA_DIR/backups), the key encrypting backup archives (default: derived from
  // RISE_ENCRYPTION_KEY) and the schedule of Rise's own database backup ("off" = none).
  RISE_DB_POSTGRES_IMAGE: z.string().min(1).default('postgres:17-bookworm'),
  RISE_DB_MARIADB_IMAGE: z.string().min(1).default('mariadb:11.4'),
  RISE_DB_REDIS_IMAGE: z.string().min(1).default('redis:7.4-bookworm'),
  RISE_BACKUP_DIR: z.string().min(1).optional(),
  RISE_BACKUP_KEY: encryptionKey.optional(),
  RISE_PLATFORM_BACKUP_CRON: z.string().min(1).default('30 3 * * *'),
  RISE_PLATFORM_BACKUP_KEEP: z.coerce.number().int().min(1).default(14),
  // Registry: where clients push (host[:port]), the token service's `service`/`issuer` (must match the
  // registry's auth.token config), and who issues push credentials (`builtin` token service or AWS ECR).
  RISE_REGISTRY_HOST: z.string().min(1).default('127.0.0.1:5000'),
  // How web and worker reach that registry's HTTP API (digest lookups, health) when RISE_REGISTRY_HOST
  // is not reachable from where they run: `http://registry:5000` in the compose stack. Unset:
  // RISE_REGISTRY_HOST over http on loopback, https elsewhere (parseEnv).
  RISE_REGISTRY_INTERNAL_URL: origin('http', 'https').optional(),
  RISE_REGISTRY_SERVICE: z.string().min(1).default('rise-registry'),
  RISE_REGISTRY_ISSUER: z.string().min(1).default('rise'),
  RISE_REGISTRY_PROVIDER: z.enum(['builtin', 'ecr']).default('builtin'),
  // Lifetime of the push credentials `registry.credentials` hands out (at most 15 minutes).
  RISE_REGISTRY_CREDENTIAL_TTL_SECONDS: z.coerce.number().int().min(1).max(900).default(900),
  // Lifetime of the bearer tokens the registry accepts (at most 15 minutes).
  RISE_REGISTRY_TOKEN_TTL_SECONDS: z.coerce.number().int().min(1).max(900).default(300),
  // Outbound guard: connections Rise makes on a user's behalf (image registries, S3 endpoints,
  // webhooks) never reach loopback, link-local, private or Rise's own addresses unless listed here
  // (IPs, CIDRs such as 10.0.0.0/8, or host names; an optional :port narrows an entry to one port).
  RISE_OUTBOUND_ALLOW: commaList.default([]),
  // Local sign-up after the first (admin) account: `invite` = only with an invitation, `open` = anyone.
  RISE_LOCAL_SIGNUP: z.enum(['invite', 'open']).default('invite'),
  // DNS servers Rise asks when it checks a custom domain's proof (TXT record, address for the HTTP
  // check), as IP or IP:port; unset = the system's resolver.
  RISE_DNS_SERVERS: commaList
    .pipe(
      z.array(
        z.string().regex(/^(\d{1,3}(\.\d{1,3}){3}(:\d+)?|\[[0-9a-fA-F:]+\](:\d+)?|[0-9a-fA-F:]+)$/, {
          message: 'expected IP addresses with an optional port, e.g. 1.1.1.1,8.8.8.8 or 127.0.0.1:5353',
        }),
      ),
    )
    .default([]),
  // Sign-in lockout: consecutive wrong passwords per account (and per IP) before a lockout, and its length.
  RISE_SIGNIN_MAX_FAILURES: z.coerce.number().int().min(1).default(10),
  RISE_SIGNIN_LOCKOUT_SECONDS: z.coerce.number().int().min(1).default(900),
  // Proxies in front of the web server whose X-Forwarded-For entry is believed (per-address rate
  // limits); unset = 1 when RISE_URL is served through Rise's Caddy, else 0 (clients connect directly).
  RISE_TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).optional(),
  // Lifetime of the host-only sign-in cookie a private app's host gets through the handshake.
  RISE_APP_SESSION_TTL_SECONDS: z.coerce.number().int().min(60).default(43_200),
  RISE_ECR_REGION: z.string().min(1).optional(),
  RISE_ECR_REGISTRY_ID: z
    .string()
    .regex(/^\d{12}$/, { message: 'expected a 12-digit AWS account id' })
    .optional(),
  RISE_ECR_REPOSITORY_PREFIX: z
    .string()
    .regex(/^([a-z0-9._-]+\/)*$/, { message: "expected lowercase path segments ending in '/', e.g. rise/" })
    .default('rise/'),
  // Worker: deployments of different projects one worker process runs at once (one project's always
  // run one at a time), and how often idle queues poll for jobs no notification announced (retries
  // whose delay ran out). New jobs wake the worker through PostgreSQL NOTIFY, not the poll.
  RISE_DEPLOY_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
  // Server builds from git (the `git-build` queue) one worker process runs at once.
  RISE_BUILD_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  // How long one server build attempt may run (clone, build, push) before it is stopped and fails.
  RISE_BUILD_TIMEOUT: z
    .string()
    .regex(/^[1-9]\d{0,4}[smh]$/, { message: 'expected a duration such as 30m, 2h or 90s' })
    .default('30m')
    .pipe(expiryDuration),
  // How long a release or post-deploy command ([deploy] release / post_deploy) may run before it is
  // killed (a release then fails its deployment). Keep it below RISE_DEPLOY_STUCK_AFTER_S.
  RISE_RELEASE_TIMEOUT: z
    .string()
    .regex(/^[1-9]\d{0,4}[smh]$/, { message: 'expected a duration such as 10m, 1h or 90s' })
    .default('10m')
    .pipe(expiryDuration),
  // A process other than web ([processes] worker = "…") counts as started when all its replicas ran
  // this long without exiting; one that exits sooner fails the deployment.
  RISE_PROCESS_GRACE_S: z.coerce.number().int().min(0).max(600).default(10),
  // Stored build output of deployments that finished longer ago than this is deleted by the cleanup
  // job (the deployment, its events and its error stay).
  RISE_BUILD_LOG_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  // Disk hygiene (issue 19), run by the cleanup job: the images of this many newest deployments per
  // project stay (engine and Rise's registry) for rollbacks, besides active and in-progress ones.
  RISE_IMAGE_RETENTION: z.coerce.number().int().min(1).max(1000).default(5),
  // Events of deployments that finished longer ago than this are deleted (the deployment row stays).
  RISE_DEPLOYMENT_EVENT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  // The registry configuration `docker-registry garbage-collect` reads after manifests were deleted.
  // Unset: <RISE_DATA_DIR>/registry/config.yml when `npm start` runs the registry (else no GC runs).
  RISE_REGISTRY_CONFIG: z.string().min(1).optional(),
  // The registry's container when it runs in one the worker cannot share storage with (the compose
  // stack): GC runs there through `docker exec` (`registry garbage-collect <RISE_REGISTRY_CONFIG>`).
  // A unix socket only the web server and the worker reach (a shared volume): the worker serves app
  // output and commands in apps there (the runtime gateway) for a web server without a Docker socket.
  RISE_RUNTIME_GATEWAY_SOCKET: z
    .string()
    .startsWith('/', { message: 'expected an absolute path' })
    .optional(),
  RISE_REGISTRY_GC_CONTAINER: z
    .string()
    .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/, { message: 'expected a Docker container name' })
    .optional(),
  // Percent of the data filesystem in use at which the Admin page warns and `disk.low` is raised.
  RISE_DISK_WARNING_PERCENT: z.coerce.number().min(1).max(100).default(80),
  RISE_DISK_CRITICAL_PERCENT: z.coerce.number().min(1).max(100).default(90),
  RISE_WORKER_POLL_SECONDS: z.coerce.number().min(0.5).max(3600).default(2),
  // H6 (issue 16): the PostgreSQL client tools that back up and restore Rise's own database; at
  // least the server's major version. Unset: `pg_dump` / `pg_restore` on PATH.
  RISE_PG_DUMP: z.string().min(1).optional(),
  RISE_PG_RESTORE: z.string().min(1).optional(),
  // Issue 20: the image of the short-lived helper containers that tar, checksum and restore project
  // volumes (needs sh, tar, find, sha256sum); pulled when missing.
  RISE_VOLUME_HELPER_IMAGE: z.string().min(1).default('busybox:1.37'),
  // Prometheus metrics (issue 19). The web server's /api/metrics answers only requests bearing
  // RISE_METRICS_TOKEN (404 without a token set); RISE_METRICS_ADDRESS / RISE_WORKER_METRICS_ADDRESS
  // (host:port) give the web server / the worker a listener of their own serving /metrics, which
  // requires the token too when one is set. Neither set: no metrics are served.
  RISE_METRICS_TOKEN: z
    .string()
    .min(32, { message: 'expected at least 32 characters (openssl rand -hex 32)' })
    .optional(),
  RISE_METRICS_ADDRESS: metricsAddress.optional(),
  RISE_WORKER_METRICS_ADDRESS: metricsAddress.optional(),
});

export type Env = z.infer<typeof envSchema> & {
  RISE_TLS_MODE: 'acme' | 'internal' | 'off';
  RISE_LOCAL_AUTH: boolean;
  RISE_INTERNAL_URL: string;
  RISE_REGISTRY_INTERNAL_URL: string;
};

export class EnvError extends Error {
  constructor(readonly issues: { variable: string; message: string }[]) {
    super(
      `Invalid environment:\n${issues.map((issue) => `  ${issue.variable}: ${issue.message}`).join('\n')}`,
    );
    this.name = 'EnvError';
  }
}

/** Parses and validates environment variables; throws an EnvError naming every bad variable. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  // An empty string means "unset" (docker-compose passes `VAR=` for blank values).
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ''));
  // Unset RISE_URL means this server on its own PORT: `PORT=4000 npm start` must hand out links
  // (CLI login, the registry's token realm) that reach it, not the default port 3000.
  if (cleaned.RISE_URL === undefined && /^\d+$/.test(cleaned.PORT ?? '')) {
    cleaned.RISE_URL = `http://localhost:${Number(cleaned.PORT)}`;
  }
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    throw new EnvError(
      result.error.issues.map((issue) => ({ variable: String(issue.path[0]), message: issue.message })),
    );
  }
  const env = result.data;
  env.RISE_TLS_MODE ??= env.RISE_BASE_DOMAIN === 'localhost' ? 'off' : 'acme';
  env.RISE_INTERNAL_URL ??= defaultInternalUrl(env);
  env.RISE_REGISTRY_INTERNAL_URL ??= defaultRegistryInternalUrl(env.RISE_REGISTRY_HOST);
  const oidc = [env.RISE_OIDC_ISSUER, env.RISE_OIDC_CLIENT_ID, env.RISE_OIDC_CLIENT_SECRET];
  if (oidc.some(Boolean) && !oidc.every(Boolean)) {
    throw new EnvError([
      {
        variable: 'RISE_OIDC_ISSUER',
        message:
          'set RISE_OIDC_ISSUER, RISE_OIDC_CLIENT_ID and RISE_OIDC_CLIENT_SECRET together, or leave all three empty for local accounts only',
      },
    ]);
  }
  // No OIDC provider: local accounts are the only way in (the first one becomes the admin).
  env.RISE_LOCAL_AUTH ??= !oidc.every(Boolean);
  return env as Env;
}

export function decodeKey(value: string): Buffer | null {
  const bytes = /^[0-9a-fA-F]{64}$/.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
  return bytes.length === 32 ? bytes : null;
}

/** Secrets the running server cannot do without; checked when they are first needed. */
export function requireEnv<K extends 'DATABASE_URL' | 'AUTH_SECRET' | 'RISE_ENCRYPTION_KEY'>(
  key: K,
): NonNullable<Env[K]> {
  const value = env[key];
  if (!value) throw new EnvError([{ variable: key, message: 'required but not set' }]);
  return value as NonNullable<Env[K]>;
}

export const env: Env = parseEnv(process.env);
