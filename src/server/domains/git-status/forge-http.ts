import {
  type OutboundGuard,
  OutboundRefusedError,
  outboundErrorMessage,
} from '@/server/security/outbound-guard';
import { type ForgeHttp, ForgeHttpError, ForgeRefusedError } from './forge-status-client';

const TIMEOUT_MS = 15_000;

/** What the forge said about an error, shortened: GitHub and Gitea say `message`, GitLab `message`/`error`. */
function errorDetail(text: string): string {
  try {
    const body = JSON.parse(text) as { message?: unknown; error?: unknown };
    const detail = body.message ?? body.error;
    if (detail !== undefined)
      return (typeof detail === 'string' ? detail : JSON.stringify(detail)).slice(0, 300);
  } catch {}
  return text.replace(/\s+/g, ' ').trim().slice(0, 300);
}

function refused(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    if (current instanceof OutboundRefusedError) return true;
    current = current.cause;
  }
  return false;
}

/**
 * Requests to forges through the outbound guard (a forge on a private address needs RISE_OUTBOUND_ALLOW),
 * each given up after 15 s; redirects are not followed. Errors name the method and URL, never the headers.
 */
export function guardedForgeHttp(guard: OutboundGuard, timeoutMs = TIMEOUT_MS): ForgeHttp {
  return async ({ method, url, headers, body }) => {
    let response: Awaited<ReturnType<OutboundGuard['fetch']>>;
    try {
      response = await guard.fetch(url, {
        method,
        headers: {
          ...headers,
          'content-type': 'application/json',
          accept: headers.accept ?? 'application/json',
          'user-agent': 'Rise',
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const why =
        error instanceof Error && error.name === 'TimeoutError'
          ? `no answer within ${timeoutMs / 1000} s`
          : outboundErrorMessage(error);
      throw refused(error)
        ? new ForgeRefusedError(`${method} ${url} failed: ${why}`)
        : new Error(`${method} ${url} failed: ${why}`);
    }
    const text = await response.text();
    if (!response.ok) {
      const detail = errorDetail(text);
      throw new ForgeHttpError(
        response.status,
        `${method} ${url} answered ${response.status}${detail ? `: ${detail}` : ''}`,
      );
    }
    if (text === '') return null;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return null;
    }
  };
}
