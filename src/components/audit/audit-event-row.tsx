import type { z } from 'zod';
import { cellClass, rowClass } from '@/components/ui/table';
import { TimeAgo } from '@/components/ui/time-ago';
import type { auditEventView } from '@/server/domains/audit/audit.schema';

type AuditEvent = z.infer<typeof auditEventView>;

/** The details as one line of JSON, or null when there are none. */
function compactDetails(details: unknown): string | null {
  if (details === null || details === undefined) return null;
  if (typeof details === 'object' && Object.keys(details).length === 0) return null;
  return JSON.stringify(details);
}

/** One audit event: when, who, what, on what, and its details as compact JSON. */
export function AuditEventRow({ event }: { event: AuditEvent }) {
  const details = compactDetails(event.details);
  return (
    <tr data-testid="audit-event" className={rowClass}>
      <td className={`${cellClass} whitespace-nowrap text-zinc-600 dark:text-zinc-400`}>
        <TimeAgo date={event.createdAt} />
      </td>
      <td className={`${cellClass} whitespace-nowrap`}>{event.actor}</td>
      <td className={cellClass}>
        <code className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs whitespace-nowrap dark:bg-zinc-800">
          {event.action}
        </code>
      </td>
      <td className={cellClass}>
        <span className="text-zinc-500 dark:text-zinc-400">{event.targetType}</span>{' '}
        {event.targetName && <span className="font-medium break-all">{event.targetName}</span>}
      </td>
      <td className={cellClass}>
        {details ? (
          <code className="block max-w-md font-mono text-xs break-all text-zinc-700 dark:text-zinc-300">
            {details}
          </code>
        ) : (
          <span className="text-zinc-400 dark:text-zinc-500">—</span>
        )}
      </td>
    </tr>
  );
}
