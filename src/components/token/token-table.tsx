'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { ConfirmButton } from '@/components/ui/confirm-button';
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
    <div className="relative -mx-4 overflow-x-auto px-4 sm:-mx-6 sm:px-6">
      <table className="w-full min-w-[44rem] text-left text-sm">
        <caption className="sr-only">Your API tokens ({tokens.length})</caption>
        <thead className={muted}>
          <tr>
            <th scope="col" className="py-2 pr-4 font-medium">
              Name
            </th>
            <th scope="col" className="py-2 pr-4 font-medium">
              Status
            </th>
            <th scope="col" className="py-2 pr-4 font-medium">
              Created
            </th>
            <th scope="col" className="py-2 pr-4 font-medium">
              Last used
            </th>
            <th scope="col" className="py-2 pr-4 font-medium">
              Expires
            </th>
            <th scope="col" className="py-2 font-medium">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {tokens.map((token) => (
            <tr
              key={token.id}
              data-testid={`token-${token.id}`}
              className="border-t border-zinc-100 align-top dark:border-zinc-800"
            >
              <td className="py-2.5 pr-4">
                <div className="font-medium break-all">{token.name}</div>
                <div className={`font-mono text-xs ${muted}`}>{token.prefix}…</div>
              </td>
              <td className="py-2.5 pr-4">
                <span
                  className={`inline-block rounded-full px-2 py-0.5 text-xs font-medium ${statusTone[token.status]}`}
                >
                  {token.status}
                </span>
              </td>
              <td className="py-2.5 pr-4 whitespace-nowrap">
                <TimeAgo date={token.createdAt} />
              </td>
              <td className="py-2.5 pr-4 whitespace-nowrap">
                {token.lastUsedAt ? (
                  <TimeAgo date={token.lastUsedAt} />
                ) : (
                  <span className={muted}>never</span>
                )}
              </td>
              <td className="py-2.5 pr-4 whitespace-nowrap">
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
              <td className="py-2.5 text-right">
                {token.status === 'active' && (
                  <ConfirmButton
                    label={`Revoke ${token.name}`}
                    title="Revoke token"
                    confirmLabel="Revoke"
                    variant="danger"
                    small
                    description={
                      <>
                        Revoke <strong>{token.name}</strong> ({token.prefix}…)? Anything using it, such as a
                        CI job or a logged-in CLI, stops working at once. This cannot be undone.
                      </>
                    }
                    onConfirm={() => revoke.mutateAsync({ id: token.id })}
                  />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
