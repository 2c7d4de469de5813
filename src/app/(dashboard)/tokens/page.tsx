import type { Metadata } from 'next';
import { TokenManager } from '@/components/token/token-manager';
import { requireSignedIn } from '@/trpc/server';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'API tokens · Rise' };

export default async function TokensPage() {
  const tokens = await requireSignedIn('/tokens', (api) => api.token.list());
  return (
    <>
      <div className="flex flex-col gap-1">
        <h1 className="text-2xl font-semibold">API tokens</h1>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Tokens act as you from the CLI and CI. The CLI reads one from{' '}
          <code className="font-mono">RISE_TOKEN</code> or from <code className="font-mono">rise login</code>.
        </p>
      </div>
      <TokenManager initialTokens={tokens} />
    </>
  );
}
