import { Card } from '@/components/ui/card';
import { TimeAgo } from '@/components/ui/time-ago';

type Notification = { id: string; kind: string; title: string; createdAt: Date };

/** Failed backups, restores and drills, newest first; nothing at all while there are none. */
export function RecentFailures({
  notifications,
  limit = 5,
}: {
  notifications: Notification[];
  limit?: number;
}) {
  if (notifications.length === 0) return null;
  return (
    <Card title="Recent failures" titleId="recent-failures">
      <ul className="flex flex-col gap-2" data-testid="recent-failures">
        {notifications.slice(0, limit).map((notification) => (
          <li
            key={notification.id}
            className="rounded-lg border border-red-200 bg-red-50 p-3 text-sm dark:border-red-900 dark:bg-red-950/40"
          >
            <p className="font-medium wrap-anywhere text-red-900 dark:text-red-200">{notification.title}</p>
            <p className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">
              <span className="font-mono">{notification.kind}</span> ·{' '}
              <TimeAgo date={notification.createdAt} />
            </p>
          </li>
        ))}
      </ul>
      {notifications.length > limit && (
        <p className="mt-2 text-xs text-zinc-500 dark:text-zinc-400">
          and {notifications.length - limit} earlier ones.
        </p>
      )}
    </Card>
  );
}
