'use client';

import { linkClass } from '@/components/ui/link-class';
import { RemovableRowContent } from '@/components/ui/removable-row-content';
import { TimeAgo } from '@/components/ui/time-ago';
import type { DomainView } from '@/shared/custom-domains/domain.schema';
import { DomainProof } from './domain-proof';
import { TLS_STATE } from './tls-state';

/** Custom domains, each with how it is served; "Remove <hostname>" only for `canEdit`. */
export function DomainList({
  project,
  domains,
  port,
  canEdit,
  onRemove,
  onVerify,
  verifying,
  verifyError,
}: {
  project: string;
  domains: DomainView[];
  /** The port apps are served on when it is not the default one (local setups), or ''. */
  port: string;
  canEdit: boolean;
  onRemove: (hostname: string) => Promise<unknown>;
  onVerify: (hostname: string) => void;
  /** The domain being checked now, if any, and the error of the last "Verify now" of `verifyError.hostname`. */
  verifying: string | null;
  verifyError: { hostname: string; error: unknown } | null;
}) {
  return (
    <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">
      {domains.map((domain) => {
        const href = `${domain.tls === 'off' ? 'http' : 'https'}://${domain.hostname}${port ? `:${port}` : ''}`;
        return (
          <li
            key={domain.hostname}
            data-testid={`domain-${domain.hostname}`}
            className="flex flex-col gap-2 py-3"
          >
            <div className="flex flex-col gap-2 sm:flex-row sm:items-center sm:justify-between">
              <RemovableRowContent
                remove={
                  canEdit && {
                    item: domain.hostname,
                    title: 'Remove domain',
                    description: (
                      <>
                        <span className="font-mono">{domain.hostname}</span> will stop serving {project}{' '}
                        within a few seconds. Its DNS records stay as they are.
                      </>
                    ),
                    onConfirm: () => onRemove(domain.hostname),
                  }
                }
              >
                <a
                  href={href}
                  target="_blank"
                  rel="noreferrer"
                  className={`${linkClass} font-mono font-medium break-all`}
                >
                  {domain.hostname}
                </a>
                <p className="flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-zinc-600 dark:text-zinc-400">
                  <span
                    className={
                      domain.tls === 'off'
                        ? 'text-amber-800 dark:text-amber-300'
                        : 'text-emerald-800 dark:text-emerald-300'
                    }
                  >
                    {TLS_STATE[domain.tls]}
                  </span>
                  {domain.status === 'verified' ? (
                    <span className="text-emerald-800 dark:text-emerald-300">Verified</span>
                  ) : (
                    <span className="font-medium text-amber-800 dark:text-amber-300">
                      Pending verification
                    </span>
                  )}
                  <span>
                    added <TimeAgo date={domain.createdAt} />
                  </span>
                  {domain.certificate?.ok && (
                    <span data-testid="certificate-check">
                      certificate checked <TimeAgo date={domain.certificate.checkedAt} />
                      {domain.certificate.expiresAt && (
                        <>
                          , valid until{' '}
                          {domain.certificate.expiresAt.toISOString().slice(0, 16).replace('T', ' ')} UTC
                        </>
                      )}
                    </span>
                  )}
                </p>
                {domain.certificate && !domain.certificate.ok && (
                  <p data-testid="certificate-check" className="text-xs text-red-800 dark:text-red-300">
                    Certificate problem (checked <TimeAgo date={domain.certificate.checkedAt} />
                    ): {domain.certificate.reason}
                  </p>
                )}
              </RemovableRowContent>
            </div>
            {domain.status === 'pending' && (
              <DomainProof
                domain={domain}
                canEdit={canEdit}
                verifying={verifying === domain.hostname}
                verifyError={verifyError?.hostname === domain.hostname ? verifyError.error : null}
                onVerify={() => onVerify(domain.hostname)}
              />
            )}
          </li>
        );
      })}
    </ul>
  );
}
