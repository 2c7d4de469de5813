import { TRPCError } from '@trpc/server';
import { revalidatePath } from 'next/cache';
import { primaryButton, secondaryButton } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { userCode as userCodeSchema } from '@/server/domains/device-authorizations/device-authorization.schema';
import { CLI_TOKEN_DAYS } from '@/server/domains/device-authorizations/device-authorization.service';
import { requireSignedIn, serverApi } from '@/trpc/server';

export const dynamic = 'force-dynamic';

type SearchParams = Promise<{ code?: string }>;

export default async function CliLoginPage({ searchParams }: { searchParams: SearchParams }) {
  const { code } = await searchParams;
  const parsed = userCodeSchema.safeParse(code ?? '');
  const returnTo = `/cli/login${code ? `?code=${encodeURIComponent(code)}` : ''}`;

  const state = await requireSignedIn(returnTo, async (api) => {
    const me = await api.me();
    if (!parsed.success) return { me, request: null, error: 'Enter the code shown by `rise login`.' };
    try {
      return { me, request: await api.cliLogin.get({ userCode: parsed.data }), error: null };
    } catch (error) {
      if (error instanceof TRPCError && error.code === 'NOT_FOUND')
        return { me, request: null, error: error.message };
      throw error;
    }
  });

  async function decide(formData: FormData) {
    'use server';
    const api = await serverApi();
    const userCode = String(formData.get('userCode'));
    if (formData.get('decision') === 'approve') await api.cliLogin.approve({ userCode });
    else await api.cliLogin.deny({ userCode });
    revalidatePath('/cli/login');
  }

  const request = state.request;
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col justify-center gap-6 p-6">
      <h1 className="text-center text-2xl font-bold">Authorize the Rise CLI</h1>
      <Card>
        {!request && (
          <form method="get" className="flex flex-col gap-3">
            {state.error && (
              <p role="alert" className="text-sm text-red-700 dark:text-red-300">
                {state.error}
              </p>
            )}
            <label className="flex flex-col gap-1 text-sm">
              Code
              <input
                name="code"
                defaultValue={code}
                placeholder="WDJB-MJHT"
                className="rounded-md border px-3 py-2 font-mono uppercase"
              />
            </label>
            <button type="submit" className={primaryButton}>
              Continue
            </button>
          </form>
        )}
        {request?.status === 'pending' && (
          <div className="flex flex-col gap-4">
            <p className="text-sm">
              <strong>{request.clientName}</strong> wants to act as{' '}
              <strong>{state.me.kind === 'user' ? `user:${state.me.username}` : state.me.name}</strong> with
              an API token. Approve only if you just ran <code>rise login</code> and it shows this code:
            </p>
            <p className="text-center font-mono text-3xl tracking-widest" data-testid="user-code">
              {request.userCode}
            </p>
            <div className="rounded-md bg-zinc-100 p-3 text-sm dark:bg-zinc-800" data-testid="cli-grant">
              <p className="font-medium">Approving creates:</p>
              <ul className="mt-1 list-disc pl-5 text-zinc-700 dark:text-zinc-300">
                <li>
                  an API token named <code>CLI login ({request.clientName})</code>, valid for {CLI_TOKEN_DAYS}{' '}
                  days;
                </li>
                <li>with your permissions on every project and team you belong to;</li>
                <li>
                  revocable at any time under <a href="/tokens">API tokens</a>.
                </li>
              </ul>
              <p className="mt-2 text-xs text-zinc-500">
                This request expires at {request.expiresAt.toISOString().slice(11, 16)} UTC.
              </p>
            </div>
            <form action={decide} className="flex gap-3">
              <input type="hidden" name="userCode" value={request.userCode} />
              <button type="submit" name="decision" value="approve" className={`${primaryButton} flex-1`}>
                Approve
              </button>
              <button type="submit" name="decision" value="deny" className={`${secondaryButton} flex-1`}>
                Deny
              </button>
            </form>
          </div>
        )}
        {request && request.status !== 'pending' && (
          <p className="text-center" role="status">
            {request.status === 'approved' || request.status === 'consumed'
              ? 'Login approved. You can return to your terminal.'
              : request.status === 'denied'
                ? 'Login denied. The CLI will report that access was refused.'
                : 'This login request has expired. Run `rise login` again.'}
          </p>
        )}
      </Card>
    </main>
  );
}
