import { Agent, type Dispatcher, request as undiciRequest } from 'undici';
import { type AdminAddress, parseAdminAddress } from './admin-address';

/**
 * Caddy's admin API over HTTP, on a TCP address or a unix socket (RISE_CADDY_ADMIN_URL
 * `unix:///path/to/admin.sock`), nothing else. Paths are relative to `/config/`
 * (e.g. `apps/http/servers/rise/routes`); ids address objects with an `@id` key (`/id/<id>`).
 */

/** A failed admin API call: Caddy's own message (it answers `{"error": "..."}`) and the HTTP status. */
export class CaddyError extends Error {
  constructor(
    readonly status: number,
    readonly caddyMessage: string,
    readonly method: string,
    readonly path: string,
  ) {
    super(`Caddy admin API ${method} ${path} failed (${status}): ${caddyMessage}`);
    this.name = 'CaddyError';
  }
}

export type Versioned<T> = {
  value: T;
  /**
   * The value to send as `If-Match` to change config only if this path is unchanged (412 otherwise).
   * Caddy 2.6 sends its ETag as an HTTP trailer, which fetch cannot read, so it is computed here the
   * way Caddy does: `"<path> <FNV-1a 32-bit hex of the response body>"`.
   */
  etag: string;
};

export type WriteOptions = { ifMatch?: string };

export type CaddyClientOptions = { adminUrl: string; timeoutMs?: number };

export class CaddyClient {
  private readonly adminUrl: string;
  private readonly address: AdminAddress;
  private readonly dispatcher: Agent;
  private readonly timeoutMs: number;

  constructor(options: CaddyClientOptions) {
    const address = parseAdminAddress(options.adminUrl);
    if (!address) {
      throw new Error(
        `invalid Caddy admin address ${JSON.stringify(options.adminUrl)}: expected http://host:port or unix:///absolute/path/to/admin.sock`,
      );
    }
    this.address = address;
    this.adminUrl = address.kind === 'http' ? address.origin : options.adminUrl;
    // Over a socket Caddy accepts only an empty Host (RFC 7230 for a URI without a host name):
    // `host not allowed: localhost` otherwise. fetch drops an empty Host, undici's request sends it.
    this.dispatcher =
      address.kind === 'unix' ? new Agent({ connect: { socketPath: address.socketPath } }) : new Agent();
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  /** The config value at `path` (null when absent, parents included). */
  async getConfig<T = unknown>(path = ''): Promise<T> {
    return (await this.getConfigVersioned<T>(path)).value;
  }

  async getConfigVersioned<T = unknown>(path = ''): Promise<Versioned<T>> {
    const urlPath = configPath(path);
    let body: Buffer;
    try {
      body = await this.request('GET', urlPath);
    } catch (error) {
      // Caddy answers null for a missing key, but 400 when a parent of it is missing too.
      if (
        !(
          error instanceof CaddyError &&
          error.status === 400 &&
          /invalid traversal path/.test(error.caddyMessage)
        )
      )
        throw error;
      body = Buffer.from('null\n');
    }
    return { value: JSON.parse(body.toString('utf8')) as T, etag: etag(urlPath, body) };
  }

  /** Replaces the whole config, `admin` included: use only with a config that keeps `admin`. */
  async load(config: unknown): Promise<void> {
    await this.request('POST', '/load', config);
  }

  /** The object with this `@id`, or null when no object has it. */
  async getById<T = unknown>(id: string): Promise<T | null> {
    try {
      const body = await this.request('GET', idPath(id));
      return JSON.parse(body.toString('utf8')) as T;
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  /** Replaces the object with this `@id` in place; the body gets the `@id` too (else Caddy drops it). */
  async patchById(id: string, body: Record<string, unknown>, options: WriteOptions = {}): Promise<void> {
    await this.request('PATCH', idPath(id), { ...body, '@id': id }, options);
  }

  /** Deletes the object with this `@id`; false when there was none. */
  async deleteById(id: string, options: WriteOptions = {}): Promise<boolean> {
    try {
      await this.request('DELETE', idPath(id), undefined, options);
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  /** Appends to an array, or creates/replaces an object key (the parent must exist). */
  async post(path: string, body: unknown, options: WriteOptions = {}): Promise<void> {
    await this.request('POST', configPath(path), body, options);
  }

  /** Inserts into an array at an index (`.../routes/3`), or creates an object key that must not exist. */
  async put(path: string, body: unknown, options: WriteOptions = {}): Promise<void> {
    await this.request('PUT', configPath(path), body, options);
  }

  /** Replaces an existing value. */
  async patch(path: string, body: unknown, options: WriteOptions = {}): Promise<void> {
    await this.request('PATCH', configPath(path), body, options);
  }

  async delete(path: string, options: WriteOptions = {}): Promise<void> {
    await this.request('DELETE', configPath(path), undefined, options);
  }

  private async request(
    method: string,
    path: string,
    body?: unknown,
    options: WriteOptions = {},
  ): Promise<Buffer> {
    // Caddy restarts its admin server after every config change it applies (a few ms after the
    // answer, "stopped previous server"): a call in that window sees its connection closed before
    // any handler ran ("other side closed"). Each call uses a new connection and is retried on such
    // transport errors; every write Rise makes is idempotent or guarded by If-Match.
    const headers: Record<string, string> = { connection: 'close' };
    if (this.address.kind === 'unix') headers.host = '';
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (options.ifMatch) headers['if-match'] = options.ifMatch;
    const origin = this.address.kind === 'http' ? this.address.origin : 'http://localhost';
    for (let attempt = 1; ; attempt++) {
      const signal = AbortSignal.timeout(this.timeoutMs);
      let status: number;
      let bytes: Buffer;
      try {
        const response = await undiciRequest(`${origin}${path}`, {
          method: method as Dispatcher.HttpMethod,
          headers,
          body: body === undefined ? undefined : JSON.stringify(body),
          dispatcher: this.dispatcher,
          signal,
        });
        status = response.statusCode;
        bytes = Buffer.from(await response.body.arrayBuffer());
      } catch (error) {
        if (attempt < TRANSPORT_ATTEMPTS && !signal.aborted) {
          await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
          continue;
        }
        const reason = signal.aborted
          ? `no answer within ${this.timeoutMs} ms`
          : error instanceof Error
            ? (error.cause as Error | undefined)?.message || error.message
            : String(error);
        throw new CaddyError(0, `admin API at ${this.adminUrl} unreachable: ${reason}`, method, path);
      }
      if (status < 200 || status >= 300) throw new CaddyError(status, errorMessage(bytes), method, path);
      return bytes;
    }
  }
}

const TRANSPORT_ATTEMPTS = 4;

export function isNotFound(error: unknown): boolean {
  return error instanceof CaddyError && error.status === 404;
}

/** A stale `If-Match`: someone else changed the config in between. */
export function isPreconditionFailed(error: unknown): boolean {
  return error instanceof CaddyError && error.status === 412;
}

function configPath(path: string): string {
  return `/config/${path.replace(/^\/+/, '')}`;
}

function idPath(id: string): string {
  return `/id/${encodeURIComponent(id)}`;
}

function errorMessage(body: Buffer): string {
  const text = body.toString('utf8').trim();
  try {
    const parsed = JSON.parse(text) as { error?: unknown };
    if (typeof parsed.error === 'string') return parsed.error;
  } catch {
    // not JSON: fall through to the raw text
  }
  return text || '(empty response)';
}

/** Caddy 2.6's config ETag: `"<request path> <hex FNV-1a 32 of the body>"`. */
export function etag(urlPath: string, body: Uint8Array): string {
  let hash = 0x811c9dc5;
  for (const byte of body) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `"${urlPath} ${hash.toString(16).padStart(8, '0')}"`;
}
