'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { inputClass } from '@/components/ui/button';
import type { Role } from '@/server/domains/access/permissions';
import { errorMessage } from '@/trpc/error-message';
import { useTRPC } from '@/trpc/react';

/** A member's role; a change applies at once, with "Saved" or the API's refusal next to it. */
export function MemberRoleSelect({
  team,
  username,
  role,
  roles,
  lastOwner,
}: {
  team: string;
  username: string;
  role: Role;
  roles: readonly Role[];
  lastOwner: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [saved, setSaved] = useState(false);
  const setRole = useMutation(
    trpc.team.setRole.mutationOptions({
      onSuccess: async () => {
        // The caller's own role may have changed too: refetch rather than trust the answer's `role`.
        await queryClient.invalidateQueries({ queryKey: trpc.team.pathKey() });
        setSaved(true);
      },
    }),
  );

  useEffect(() => {
    if (!saved) return;
    const timer = setTimeout(() => setSaved(false), 4000);
    return () => clearTimeout(timer);
  }, [saved]);

  const value = setRole.isPending ? setRole.variables.role : role;

  return (
    <div className="flex flex-col gap-1">
      <div className="flex items-center gap-2">
        <select
          aria-label={`Role for ${username}`}
          value={value}
          disabled={setRole.isPending}
          onChange={(event) => {
            setSaved(false);
            setRole.mutate({ team, user: username, role: event.target.value as Role });
          }}
          className={`${inputClass.replace('w-full', 'w-28 sm:w-36')} py-1`}
        >
          {roles.map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
        <span role="status" className="text-xs text-emerald-700 dark:text-emerald-300">
          {setRole.isPending ? 'Saving…' : saved ? 'Saved' : ''}
        </span>
      </div>
      {lastOwner && !setRole.isError && (
        <span className="text-xs text-zinc-500 dark:text-zinc-400">The only owner</span>
      )}
      {setRole.isError && (
        <span role="alert" className="max-w-72 text-xs text-red-700 dark:text-red-300">
          {errorMessage(setRole.error)}
        </span>
      )}
    </div>
  );
}
