import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type SupervisedProcess, startProcess, stopProcess } from './supervisor';

/** `auth.token` settings: Rise as the token service (the registry then answers /v2/ with 401). */
export type RegistryTokenAuth = { realm: string; service: string; issuer: string; rootCertBundle: string };

export type RegistryConfigOptions = {
  /** host:port the registry listens on. */
  listen: string;
  storageDir: string;
  logLevel: 'error' | 'warn' | 'info' | 'debug';
  tokenAuth?: RegistryTokenAuth;
};

/**
 * The configuration of the CNCF registry (distribution 2.8), as JSON (which its YAML parser reads):
 * filesystem storage with deletes, no access log, and Rise's token auth when `tokenAuth` is given.
 */
export function registryConfig(options: RegistryConfigOptions): string {
  const { tokenAuth } = options;
  const config = {
    version: '0.1',
    log: { level: options.logLevel, accesslog: { disabled: true } },
    storage: { filesystem: { rootdirectory: options.storageDir }, delete: { enabled: true } },
    http: { addr: options.listen, headers: { 'X-Content-Type-Options': ['nosniff'] } },
    ...(tokenAuth
      ? {
          auth: {
            token: {
              realm: tokenAuth.realm,
              service: tokenAuth.service,
              issuer: tokenAuth.issuer,
              rootcertbundle: tokenAuth.rootCertBundle,
            },
          },
        }
      : {}),
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

/** Rise's token auth for a registry: realm `<RISE_URL>/api/registry/token`, service and issuer from env. */
export function riseTokenAuth(settings: {
  riseUrl: string;
  service: string;
  issuer: string;
  rootCertBundle: string;
}): RegistryTokenAuth {
  return {
    realm: `${settings.riseUrl.replace(/\/+$/, '')}/api/registry/token`,
    service: settings.service,
    issuer: settings.issuer,
    rootCertBundle: settings.rootCertBundle,
  };
}

/** The port of RISE_REGISTRY_HOST (`host:port`, `[v6]:port`); null when it has none. */
export function registryPort(host: string): number | null {
  const match = /:(\d+)$/.exec(host);
  if (!match) return null;
  const port = Number(match[1]);
  return port >= 1 && port <= 65535 ? port : null;
}

/** Waits until the registry's /v2/ answers 200 or 401 (token auth), failing early when it exits. */
export async function waitForRegistry(
  host: string,
  exited: () => number | null,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const code = exited();
    if (code !== null) throw new Error(`docker-registry exited with code ${code}`);
    const up = await fetch(`http://${host}/v2/`, { signal: AbortSignal.timeout(2000) }).then(
      (response) => response.status === 200 || response.status === 401,
      () => false,
    );
    if (up) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`docker-registry did not answer on http://${host}/v2/ within ${timeoutMs / 1000} s`);
}

/**
 * Runs the registry for `npm start`: 127.0.0.1 at `port`, images under `<dataDir>/registry/data`, its
 * log (level warn) in `<dataDir>/registry/registry.log`, Rise's token auth.
 */
export async function startLocalRegistry(options: {
  binary: string;
  dataDir: string;
  port: number;
  tokenAuth: RegistryTokenAuth;
}): Promise<SupervisedProcess & { logFile: string }> {
  const root = join(options.dataDir, 'registry');
  mkdirSync(join(root, 'data'), { recursive: true, mode: 0o700 });
  const configFile = join(root, 'config.yml');
  const listen = `127.0.0.1:${options.port}`;
  writeFileSync(
    configFile,
    registryConfig({
      listen,
      storageDir: join(root, 'data'),
      logLevel: 'warn',
      tokenAuth: options.tokenAuth,
    }),
  );
  const logFile = join(root, 'registry.log');
  const log = openSync(logFile, 'a');
  const registry = startProcess('registry', options.binary, ['serve', configFile], { output: log });
  closeSync(log);
  const tail = () => readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-20).join('\n');
  try {
    await waitForRegistry(listen, () => registry.child.exitCode);
  } catch (error) {
    await stopProcess(registry, 2000);
    throw new Error(`${(error as Error).message}; the end of ${logFile}:\n${tail()}`);
  }
  return { ...registry, logFile };
}
