import { inputClass, primaryButton, secondaryButton } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { env } from '@/env';
import { OIDC_PROVIDER_ID, oidcConfigured, signIn } from '@/server/auth/nextauth';
import { safeReturnUrl } from '@/server/auth/return-url';

export const dynamic = 'force-dynamic';

type SearchParams = Promise<{ callbackUrl?: string; error?: string; mode?: string }>;

export default async function SignInPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const callbackUrl = safeReturnUrl(params.callbackUrl);
  const signup = params.mode === 'signup';

  async function signInWithOidc() {
    'use server';
    await signIn(OIDC_PROVIDER_ID, { redirectTo: callbackUrl });
  }

  return (
    <main className="mx-auto flex min-h-screen max-w-sm flex-col justify-center gap-6 p-6">
      <h1 className="text-center text-3xl font-bold tracking-tight">Sign in to Rise</h1>
      {params.error && (
        <p
          role="alert"
          className="rounded-md bg-red-50 p-3 text-sm text-red-800 dark:bg-red-950 dark:text-red-200"
        >
          {params.error === 'OAuthCallbackError' || params.error === 'Configuration'
            ? 'Sign-in with your identity provider failed. Try again or ask your admin.'
            : params.error}
        </p>
      )}
      <Card>
        <div className="flex flex-col gap-4">
          {oidcConfigured() && (
            <form action={signInWithOidc}>
              <button type="submit" className={`${primaryButton} w-full`}>
                Continue with {env.RISE_OIDC_NAME}
              </button>
            </form>
          )}
          {env.RISE_LOCAL_AUTH && (
            <form method="post" action="/api/local-auth" className="flex flex-col gap-3">
              <input type="hidden" name="callbackUrl" value={callbackUrl} />
              <input type="hidden" name="mode" value={signup ? 'signup' : 'signin'} />
              {signup && (
                <label className="flex flex-col gap-1 text-sm">
                  Name
                  <input name="name" autoComplete="name" className={inputClass} />
                </label>
              )}
              <label className="flex flex-col gap-1 text-sm">
                Email
                <input name="email" type="email" required autoComplete="email" className={inputClass} />
              </label>
              <label className="flex flex-col gap-1 text-sm">
                Password
                <input
                  name="password"
                  type="password"
                  required
                  minLength={10}
                  autoComplete={signup ? 'new-password' : 'current-password'}
                  className={inputClass}
                />
              </label>
              <button type="submit" className={oidcConfigured() ? secondaryButton : primaryButton}>
                {signup ? 'Create account' : 'Sign in with password'}
              </button>
              <a
                className="text-center text-sm text-indigo-600 hover:underline dark:text-indigo-400"
                href={`/signin?${new URLSearchParams({ callbackUrl, mode: signup ? 'signin' : 'signup' })}`}
              >
                {signup ? 'Have an account? Sign in' : 'No account yet? Create one'}
              </a>
            </form>
          )}
          {!oidcConfigured() && !env.RISE_LOCAL_AUTH && (
            <p className="text-sm">
              No sign-in method is configured. Set <code>RISE_OIDC_ISSUER</code>,{' '}
              <code>RISE_OIDC_CLIENT_ID</code> and <code>RISE_OIDC_CLIENT_SECRET</code>, or{' '}
              <code>RISE_LOCAL_AUTH=true</code> for local accounts.
            </p>
          )}
        </div>
      </Card>
    </main>
  );
}
