'use client';

import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { ErrorAlert } from '@/components/ui/error-alert';
import { useTRPC } from '@/trpc/react';

/** "Reveal URL" shows the connection URL with its password (recorded in the audit log); "Hide" forgets it. */
export function RevealUrlButton({ project, database }: { project: string; database: string }) {
  const trpc = useTRPC();
  const [url, setUrl] = useState<string | null>(null);
  const reveal = useMutation(
    trpc.database.reveal.mutationOptions({ onSuccess: (result) => setUrl(result.url) }),
  );

  if (url) {
    return (
      <div className="flex flex-col gap-2 sm:flex-row sm:items-center">
        <code
          data-testid="database-url"
          className="min-w-0 flex-1 rounded-md bg-zinc-100 px-3 py-1.5 font-mono text-xs break-all dark:bg-zinc-800"
        >
          {url}
        </code>
        <Button small className="self-start" onClick={() => setUrl(null)}>
          Hide URL
        </Button>
      </div>
    );
  }
  return (
    <div className="flex flex-col items-start gap-1">
      <Button
        small
        disabled={reveal.isPending}
        onClick={() => reveal.mutate({ project, database })}
        title="Revealing the URL is recorded in the audit log"
      >
        {reveal.isPending ? 'Revealing…' : 'Reveal URL'}
      </Button>
      <ErrorAlert error={reveal.error} />
    </div>
  );
}
