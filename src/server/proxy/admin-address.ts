/**
 * Where Caddy's admin API listens, from RISE_CADDY_ADMIN_URL: an http(s) origin, or a unix socket
 * written `unix:///absolute/path/to/admin.sock` (Caddy's own `admin.listen` is then `unix//path`).
 * Pure, so env.ts can validate with it.
 */
export type AdminAddress = { kind: 'http'; origin: string } | { kind: 'unix'; socketPath: string };

export function parseAdminAddress(value: string): AdminAddress | null {
  if (!URL.canParse(value)) return null;
  const url = new URL(value);
  if (url.protocol === 'http:' || url.protocol === 'https:') {
    if (url.host === '' || url.username || url.password || url.search || url.hash) return null;
    return { kind: 'http', origin: value.replace(/\/+$/, '') };
  }
  if (url.protocol !== 'unix:' || !value.startsWith('unix:///') || url.search || url.hash) return null;
  const socketPath = decodeURIComponent(url.pathname);
  if (socketPath.length < 2 || socketPath.endsWith('/')) return null;
  return { kind: 'unix', socketPath };
}
