/** Host and port a git remote URL connects to: https, http, ssh, git, or scp-like `user@host:path`. */
export function gitRemoteEndpoint(url: string): { scheme: string; host: string; port: number } {
  const scpLike = /^(?:[^@/:]+@)?([^/:]+):(?![/:])/.exec(url);
  if (scpLike && !/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return { scheme: 'ssh', host: scpLike[1]!, port: 22 };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`'${url}' is not a git URL: expected https://…, ssh://…, git://… or git@host:path.`);
  }
  const defaults: Record<string, number> = { 'https:': 443, 'http:': 80, 'ssh:': 22, 'git:': 9418 };
  const port = defaults[parsed.protocol];
  if (port === undefined)
    throw new Error(`Git URL scheme '${parsed.protocol}' is not supported: use https, ssh or git.`);
  if (parsed.username || parsed.password) {
    if (parsed.protocol === 'https:' || parsed.protocol === 'http:')
      throw new Error('The git URL must not carry credentials: set an access token or use the deploy key.');
  }
  return {
    scheme: parsed.protocol.slice(0, -1),
    host: parsed.hostname.replace(/^\[|\]$/g, ''),
    port: parsed.port ? Number(parsed.port) : port,
  };
}
