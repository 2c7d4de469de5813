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

function redirectTo(path: string, base: string) {
  return new Response(null, { status: 303, headers: { location: new URL(path, base).toString() } });
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
  const fields = Object.fromEntries(
    ['email', 'password', 'name'].map((key) => [key, form.get(key) ?? undefined]),
  );
  try {
    const parsed = (mode === 'signup' ? localSignUp : localCredentials).safeParse(fields);
    if (!parsed.success)
      throw new AppError('BAD_REQUEST', parsed.error.issues[0]?.message ?? 'Invalid input.');
    const user = mode === 'signup' ? await signUpLocal(parsed.data) : await signInLocal(parsed.data);
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
    return redirectTo(`/signin?${query}`, base);
  }
}
