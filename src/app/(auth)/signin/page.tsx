import { inputClass, primaryButton, secondaryButton } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { env } from '@/env';
import { OIDC_PROVIDER_ID, oidcConfigured, signIn } from '@/server/auth/nextauth';
import { safeReturnUrl } from '@/server/auth/return-url';
import { invitationToken } from '@/server/domains/invitations/invitation.schema';
import { describeInvitation } from '@/server/domains/invitations/invitation.service';
import { SIGNUP_BY_INVITATION, signUpAllowed } from '@/server/domains/invitations/invitation-policy';
import { countUsers } from '@/server/domains/users/user.service';

export const dynamic = 'force-dynamic';

type SearchParams = Promise<{ callbackUrl?: string; error?: string; mode?: string; invite?: string }>;

export default async function SignInPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const callbackUrl = safeReturnUrl(params.callbackUrl);
  const inviteToken = invitationToken.safeParse(params.invite).data;
  const invitation = inviteToken && env.RISE_LOCAL_AUTH ? await describeInvitation(inviteToken) : null;
  const existingUsers = env.RISE_LOCAL_AUTH ? await countUsers() : null;
  // A fresh install has nobody to sign in as: it opens on creating the first (admin) account.
  const firstAccount = existingUsers === 0 && invitation === null;
  const signup =
    params.mode === 'signup' || invitation !== null || (firstAccount && params.mode !== 'signin');
  // Offer sign-up only where it can succeed: the first account, an invitation, or an open policy.
  const signUpOpen =
    invitation !== null ||
    (existingUsers !== null &&
      // The email is not known yet: offered for the first account whatever RISE_ADMIN_EMAILS lists.
      signUpAllowed({
        policy: env.RISE_LOCAL_SIGNUP,
        existingUsers,
        invited: false,
        email: '',
        adminEmails: [],
      }));

  async function signInWithOidc() {
    'use server';
    await signIn(OIDC_PROVIDER_ID, { redirectTo: callbackUrl });
  }

  return (
    <main className="mx-auto flex min-h-screen max-w-sm flex-col justify-center gap-6 p-6">
      <h1 className="text-center text-3xl font-bold tracking-tight">Sign in to Rise</h1>
      {firstAccount && signup && (
        <p role="status" data-testid="first-account" className="text-center text-sm">
          {env.RISE_ADMIN_EMAILS.length > 0
            ? 'Create the first account with an email listed in RISE_ADMIN_EMAILS: it becomes the platform admin.'
            : 'Create the first account: it becomes the platform admin.'}
        </p>
      )}
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
      {params.invite !== undefined && !invitation && (
        <p
          role="alert"
          className="rounded-md bg-amber-50 p-3 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200"
        >
          This invitation link is invalid, expired or already used; ask for a new one.
        </p>
      )}
      {invitation && (
        <p role="status" className="text-center text-sm">
          You are invited as <strong>{invitation.email}</strong>
          {invitation.team && (
            <>
              {' '}
              to team <strong>{invitation.team}</strong> ({invitation.role})
            </>
          )}
          . Choose a password to create your account.
        </p>
      )}
      {signup && !signUpOpen && !params.error && (
        <p role="status" className="text-sm">
          {SIGNUP_BY_INVITATION}
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
              {invitation && inviteToken && <input type="hidden" name="invite" value={inviteToken} />}
              {signup && (
                <label className="flex flex-col gap-1 text-sm">
                  Name
                  <input name="name" autoComplete="name" className={inputClass} />
                </label>
              )}
              <label className="flex flex-col gap-1 text-sm">
                Email
                <input
                  name="email"
                  type="email"
                  required
                  autoComplete="email"
                  className={inputClass}
                  {...(invitation ? { value: invitation.email, readOnly: true } : {})}
                />
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
              {(signup || signUpOpen) && (
                <a
                  className="text-center text-sm text-indigo-600 hover:underline dark:text-indigo-400"
                  href={`/signin?${new URLSearchParams({ callbackUrl, mode: signup ? 'signin' : 'signup' })}`}
                >
                  {signup ? 'Have an account? Sign in' : 'No account yet? Create one'}
                </a>
              )}
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
