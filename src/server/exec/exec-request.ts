import { execRequest } from '@/server/domains/exec/exec.schema';
import { AppError } from '@/server/errors';

/** The query string of an exec request, as execRequest reads it (`cmd` once per argument). */
export function parseExecQuery(url: URL) {
  const parsed = execRequest.safeParse({
    project: url.searchParams.get('project') ?? undefined,
    deployment: url.searchParams.get('deployment') ?? undefined,
    process: url.searchParams.get('process') ?? undefined,
    replica: url.searchParams.get('replica') ?? undefined,
    cmd: url.searchParams.getAll('cmd'),
    tty: url.searchParams.get('tty') === '1',
    cols: url.searchParams.get('cols') ?? undefined,
    rows: url.searchParams.get('rows') ?? undefined,
  });
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new AppError('BAD_REQUEST', `${issue?.path.join('.') || 'request'}: ${issue?.message ?? 'invalid'}`);
}

/**
 * A browser sends its cookies with a WebSocket request from any site; only pages of Rise itself may
 * open one (cross-site WebSocket hijacking). Clients that are not browsers send no Origin.
 */
export function originAllowed(
  origin: string | undefined,
  host: string | undefined,
  riseUrl: string,
): boolean {
  if (!origin) return true;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  return parsed.origin === new URL(riseUrl).origin || (host !== undefined && parsed.host === host);
}
