'use client';

import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { z } from 'zod';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Dialog } from '@/components/ui/dialog';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorAlert } from '@/components/ui/error-alert';
import type { tokenSummary } from '@/server/domains/tokens/token.schema';
import { useTRPC } from '@/trpc/react';
import { NewTokenForm } from './new-token-form';
import { NewTokenSecret } from './new-token-secret';
import { TokenTable } from './token-table';

type TokenSummary = z.infer<typeof tokenSummary>;

/**
 * The user's API tokens: a "New token" dialog whose secret is then shown once above the list, and the
 * list with a revoke button per active token.
 */
export function TokenManager({ initialTokens }: { initialTokens: TokenSummary[] }) {
  const trpc = useTRPC();
  const query = useQuery(trpc.token.list.queryOptions(undefined, { initialData: initialTokens }));
  const tokens = query.data ?? initialTokens;
  const [open, setOpen] = useState(false);
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);

  return (
    <>
      {created && (
        <NewTokenSecret name={created.name} secret={created.secret} onDone={() => setCreated(null)} />
      )}
      <Card
        title="Your tokens"
        actions={
          <Button variant="primary" onClick={() => setOpen(true)}>
            New token
          </Button>
        }
      >
        <ErrorAlert error={query.error} prefix="Could not refresh the tokens" className="mb-3" />
        {tokens.length === 0 ? (
          <EmptyState title="No API tokens yet" command="rise login">
            Logging in from the CLI creates a token for your terminal. For CI, create one with{' '}
            <strong>New token</strong> and set it as <code className="font-mono">RISE_TOKEN</code> (or run{' '}
            <code className="font-mono">rise login --token &lt;token&gt;</code>).
          </EmptyState>
        ) : (
          <TokenTable tokens={tokens} />
        )}
      </Card>
      <Dialog open={open} onClose={() => setOpen(false)} title="New token">
        <NewTokenForm
          onCancel={() => setOpen(false)}
          onCreated={(name, secret) => {
            setCreated({ name, secret });
            setOpen(false);
          }}
        />
      </Dialog>
    </>
  );
}
