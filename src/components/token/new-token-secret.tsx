'use client';

import { useEffect, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { copyText } from '@/components/ui/copy-text';

/** The secret of a token just created, shown this once, with a copy button and how to use it. */
export function NewTokenSecret({
  name,
  secret,
  onDone,
}: {
  name: string;
  secret: string;
  onDone: () => void;
}) {
  const regionRef = useRef<HTMLElement>(null);
  const secretRef = useRef<HTMLElement>(null);
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);

  // The dialog just closed: bring keyboard and screen reader users to the secret.
  useEffect(() => {
    regionRef.current?.focus();
  }, []);

  return (
    <section
      ref={regionRef}
      tabIndex={-1}
      aria-labelledby="new-token-title"
      className="flex flex-col gap-3 rounded-xl border border-emerald-300 bg-emerald-50 p-4 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 sm:p-6 dark:border-emerald-800 dark:bg-emerald-950/40"
    >
      <h2 id="new-token-title" className="text-lg font-semibold">
        Token “{name}” created
      </h2>
      <p className="text-sm font-medium text-amber-800 dark:text-amber-200">
        Copy it now: it will not be shown again. Only a hash is stored.
      </p>
      <div className="flex flex-col gap-2 sm:flex-row sm:items-center">
        <code
          ref={secretRef}
          data-testid="new-token-secret"
          className="min-w-0 flex-1 rounded-md border border-zinc-300 bg-white px-3 py-2 font-mono text-sm break-all select-all dark:border-zinc-700 dark:bg-zinc-950"
        >
          {secret}
        </code>
        <Button
          variant="primary"
          onClick={() =>
            copyText(secret, secretRef.current).then(
              () => setCopied('yes'),
              () => setCopied('failed'),
            )
          }
        >
          {copied === 'yes' ? 'Copied' : 'Copy token'}
        </Button>
      </div>
      <p role="status" className="text-xs text-zinc-600 dark:text-zinc-400">
        {copied === 'yes'
          ? 'Copied to the clipboard.'
          : copied === 'failed'
            ? 'Could not copy: select the token and copy it by hand.'
            : ''}
      </p>
      <div className="text-sm text-zinc-700 dark:text-zinc-300">
        Use it in CI as an environment variable, or log the CLI in with it:
        <pre className="mt-1 overflow-x-auto rounded-md bg-zinc-100 px-3 py-2 font-mono text-xs dark:bg-zinc-800">
          {'RISE_TOKEN=<token> rise deploy\nrise login --token <token>'}
        </pre>
      </div>
      <div>
        <Button onClick={onDone}>I have copied it</Button>
      </div>
    </section>
  );
}
