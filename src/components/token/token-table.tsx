'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { ConfirmButton } from '@/components/ui/confirm-button';
import { actionsColumn, cellClass, DataTable, rowClass } from '@/components/ui/table';
import { TimeAgo } from '@/components/ui/time-ago';
import type { tokenSummary } from '@/server/domains/tokens/token.schema';
import { useTRPC } from '@/trpc/react';

type TokenSummary = z.infer<typeof tokenSummary>;

const statusTone: Record<TokenSummary['status'], string> = {
  active: 'bg-emerald-100 text-emerald-900 dark:bg-emerald-900/40 dark:text-emerald-200',
  expired: 'bg-amber-100 text-amber-900 dark:bg-amber-900/40 dark:text-amber-200',
  revoked: 'bg-zinc-200 text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200',
};

const muted = 'text-zinc-500 dark:text-zinc-400';

/** The user's tokens, newest first, with "Revoke <name>" on active ones. */
export function TokenTable({ tokens }: { tokens: TokenSummary[] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const revoke = useMutation(
    trpc.token.revoke.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.token.pathKey() }),
    }),
  );

  return (
    <DataTable
      caption={`Your API tokens (${tokens.length})`}
      minWidth="min-w-[44rem]"
      columns={['Name', 'Status', 'Created', 'Last used', 'Expires', actionsColumn]}
    >
      {tokens.map((token) => (
        <tr key={token.id} data-testid={`token-${token.id}`} className={rowClass}>
          <td className={cellClass}>
            <div className="font-medium break-all">{token.name}</div>
            <div className={`font-mono text-xs ${muted}`}>{token.prefix}…</div>
          </td>
          <td className={cellClass}>
            <span
              className={`inline-block rounded-full px-2 py-0.5 text-xs font-medium ${statusTone[token.status]}`}
            >
              {token.status}
            </span>
          </td>
          <td className={`${cellClass} whitespace-nowrap`}>
            <TimeAgo date={token.createdAt} />
          </td>
          <td className={`${cellClass} whitespace-nowrap`}>
            {token.lastUsedAt ? <TimeAgo date={token.lastUsedAt} /> : <span className={muted}>never</span>}
          </td>
          <td className={`${cellClass} whitespace-nowrap`}>
            {token.revokedAt ? (
              <span className={muted}>
                revoked <TimeAgo date={token.revokedAt} />
              </span>
            ) : token.expiresAt ? (
              <TimeAgo date={token.expiresAt} />
            ) : (
              <span className={muted}>never</span>
            )}
          </td>
          <td className={`${cellClass} text-right`}>
            {token.status === 'active' && (
              <ConfirmButton
                label={
                  <>
                    Revoke<span className="max-sm:sr-only"> {token.name}</span>
                  </>
                }
                title="Revoke token"
                confirmLabel="Revoke"
                variant="danger"
                small
                description={
                  <>
                    Revoke <strong>{token.name}</strong> ({token.prefix}…)? Anything using it, such as a CI
                    job or a logged-in CLI, stops working at once. This cannot be undone.
                  </>
                }
                onConfirm={() => revoke.mutateAsync({ id: token.id })}
              />
            )}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
