'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { ErrorAlert } from '@/components/ui/error-alert';
import { TimeAgo } from '@/components/ui/time-ago';
import type { DomainView } from '@/shared/custom-domains/domain.schema';

function CopyValue({ label, value }: { label: string; value: string }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const canCopy = typeof navigator !== 'undefined' && Boolean(navigator.clipboard);
  return (
    <div className="flex min-w-0 flex-col gap-1 sm:flex-row sm:items-center sm:gap-2">
      <span className="w-14 shrink-0 text-xs text-zinc-600 dark:text-zinc-400">{label}</span>
      <code className="min-w-0 flex-1 rounded border border-zinc-200 bg-white px-2 py-1 font-mono text-xs break-all select-all dark:border-zinc-700 dark:bg-zinc-950">
        {value}
      </code>
      {canCopy && (
        <Button
          small
          aria-label={`Copy ${label.toLowerCase()} ${value}`}
          onClick={() =>
            navigator.clipboard.writeText(value).then(
              () => setCopied('yes'),
              () => setCopied('failed'),
            )
          }
        >
          {copied === 'yes' ? 'Copied' : copied === 'failed' ? 'Select it' : 'Copy'}
        </Button>
      )}
    </div>
  );
}

/**
 * What a pending domain's owner must publish (the TXT record, or DNS pointed at Rise for the HTTP
 * token), the last check and its error, and "Verify now" for those who may edit domains.
 */
export function DomainProof({
  domain,
  canEdit,
  verifying,
  verifyError,
  onVerify,
}: {
  domain: DomainView;
  canEdit: boolean;
  verifying: boolean;
  verifyError: unknown;
  onVerify: () => void;
}) {
  const { txt, http } = domain.challenge;
  return (
    <div
      data-testid={`domain-proof-${domain.hostname}`}
      className="flex flex-col gap-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm dark:border-amber-800 dark:bg-amber-950/30"
    >
      <p>
        Not routed yet: prove that <span className="font-mono">{domain.hostname}</span> is yours. Create this
        DNS record:
      </p>
      <CopyValue label="Type" value="TXT" />
      <CopyValue label="Name" value={txt.name} />
      <CopyValue label="Value" value={txt.value} />
      <p className="text-xs text-zinc-700 dark:text-zinc-300">
        Or point the domain at Rise (CNAME or A/AAAA): Rise then serves{' '}
        <span className="font-mono break-all">{http.url}</span> itself. Rise checks pending domains by itself
        for 7 days after they are added.
      </p>
      <p className="text-xs text-zinc-700 dark:text-zinc-300">
        {domain.lastCheckedAt ? (
          <>
            Last checked <TimeAgo date={domain.lastCheckedAt} />
            {domain.lastCheckError && (
              <>
                : <span data-testid="domain-check-error">{domain.lastCheckError}</span>
              </>
            )}
          </>
        ) : (
          'Not checked yet.'
        )}
      </p>
      {canEdit && (
        <div>
          <Button variant="primary" small disabled={verifying} onClick={onVerify}>
            {verifying ? 'Checking…' : 'Verify now'}
          </Button>
        </div>
      )}
      <ErrorAlert error={verifyError} />
    </div>
  );
}
