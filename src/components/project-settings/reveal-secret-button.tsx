'use client';

import { useMutation } from '@tanstack/react-query';
import { Button } from '@/components/ui/button';
import { errorMessage } from '@/trpc/error-message';
import { useTRPC } from '@/trpc/react';

/**
 * "Reveal <KEY>" asks the API for a secret's value (a mutation: every reveal is written to the audit
 * log); once shown, the same place offers "Hide <KEY>", which forgets it again.
 */
export function RevealSecretButton({
  project,
  envKey,
  revealed,
  onReveal,
  onHide,
}: {
  project: string;
  envKey: string;
  revealed: boolean;
  onReveal: (value: string) => void;
  onHide: () => void;
}) {
  const trpc = useTRPC();
  const reveal = useMutation(
    trpc.env.reveal.mutationOptions({ onSuccess: (result) => onReveal(result.value) }),
  );

  if (revealed) {
    return (
      <Button small onClick={onHide}>
        Hide<span className="sr-only"> {envKey}</span>
      </Button>
    );
  }
  return (
    <span className="inline-flex flex-col items-start gap-1">
      <Button
        small
        disabled={reveal.isPending}
        onClick={() => reveal.mutate({ project, key: envKey })}
        title="Revealing a secret is recorded in the audit log"
      >
        {reveal.isPending ? 'Revealing…' : 'Reveal'}
        <span className="sr-only"> {envKey}</span>
      </Button>
      {reveal.error && (
        <span role="alert" className="max-w-[14rem] text-xs whitespace-normal text-red-700 dark:text-red-300">
          {errorMessage(reveal.error)}
        </span>
      )}
    </span>
  );
}
