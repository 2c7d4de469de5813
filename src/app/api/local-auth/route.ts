import { env } from '@/env';
import { safeReturnUrl } from '@/server/auth/return-url';
import { sessionCookie } from '@/server/auth/session-cookie';
import {
  localCredentials,
  localSignUp,
  signInLocal,
  signUpLocal,
} from '@/server/domains/users/local-account.service';
import { createSession } from '@/server/domains/users/session.service';
import { AppError } from '@/server/errors';
import { clientAddress } from '@/server/security/client-address';
import { retryAfterSeconds } from '@/server/security/rate-limit';

function redirectTo(path: string, base: string) {
  return new Response(null, { status: 303, headers: { location: new URL(path, base).toString() } });
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/** A lockout answers 429 with Retry-After, and a page a browser can show, linking back to the form. */
function tooManyAttempts(message: string, seconds: number, back: string) {
  const body = `<!doctype html><meta charset="utf-8"><title>Too many attempts · Rise</title><main style="font-family:sans-serif;max-width:32rem;margin:4rem auto"><p role="alert">${escapeHtml(message)}</p><p><a href="${escapeHtml(back)}">Back to sign-in</a></p></main>`;
  return new Response(body, {
    status: 429,
    headers: { 'retry-after': String(seconds), 'content-type': 'text/html; charset=utf-8' },
  });
}

export async function POST(request: Request) {
  const base = env.RISE_URL;
  if (!env.RISE_LOCAL_AUTH)
    return new Response('Local accounts are disabled (RISE_LOCAL_AUTH).', { status: 404 });
  const origin = request.headers.get('origin');
  if (origin && origin !== new URL(base).origin && origin !== new URL(request.url).origin) {
    return new Response('Cross-site sign-in refused.', { status: 403 });
  }
  const form = await request.formData();
  const returnPath = safeReturnUrl(form.get('callbackUrl'));
  const mode = form.get('mode') === 'signup' ? 'signup' : 'signin';
  if (form.get('invite') === '') form.delete('invite');
  const fields = Object.fromEntries(
    ['email', 'password', 'name', 'invite'].map((key) => [key, form.get(key) ?? undefined]),
  );
  try {
    const parsed = (mode === 'signup' ? localSignUp : localCredentials).safeParse(fields);
    if (!parsed.success)
      throw new AppError('BAD_REQUEST', parsed.error.issues[0]?.message ?? 'Invalid input.');
    const requester = { clientAddress: clientAddress(request.headers) };
    const user =
      mode === 'signup'
        ? await signUpLocal(parsed.data, requester)
        : await signInLocal(parsed.data, requester);
    const session = await createSession(user.id);
    const response = redirectTo(returnPath, base);
    const cookie = sessionCookie();
    response.headers.append(
      'set-cookie',
      [
        `${cookie.name}=${session.sessionToken}`,
        'Path=/',
        'HttpOnly',
        'SameSite=Lax',
        `Expires=${session.expires.toUTCString()}`,
        ...(cookie.secure ? ['Secure'] : []),
      ].join('; '),
    );
    return response;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const query = new URLSearchParams({ error: error.message, callbackUrl: returnPath, mode });
    const invite = fields.invite;
    if (typeof invite === 'string' && mode === 'signup') query.set('invite', invite);
    const wait = retryAfterSeconds(error);
    if (wait !== null) return tooManyAttempts(error.message, wait, `/signin?${query}`);
    return redirectTo(`/signin?${query}`, base);
  }
}
