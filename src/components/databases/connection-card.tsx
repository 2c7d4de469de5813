import type { ReactNode } from 'react';
import { Card } from '@/components/ui/card';
import type { DatabaseView } from '@/shared/databases/database.schema';
import { LinkControl } from './link-control';
import { RevealUrlButton } from './reveal-url-button';

function Item({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="flex min-w-0 flex-col gap-0.5">
      <dt className="text-xs text-zinc-500 dark:text-zinc-400">{label}</dt>
      <dd className="font-mono text-sm break-all">{children}</dd>
    </div>
  );
}

/** Where apps reach the database (on the project's network), the env vars it gives, and its URL. */
export function ConnectionCard({
  project,
  database,
  canReveal,
  canLink,
}: {
  project: string;
  database: DatabaseView;
  canReveal: boolean;
  canLink: boolean;
}) {
  const isRedis = database.engine === 'redis';
  return (
    <Card title="Connection" titleId="connection-title">
      <dl className="grid gap-3 sm:grid-cols-3">
        <Item label="Host">{database.host}</Item>
        <Item label="Port">{database.port}</Item>
        {!isRedis && <Item label="User">{database.username}</Item>}
        {!isRedis && <Item label="Database">{database.databaseName}</Item>}
        <Item label="Env prefix">
          {database.envPrefix ?? <span className="text-zinc-400">not linked</span>}
        </Item>
        {database.envKeys.length > 0 && (
          <Item label="Env vars">
            {database.envKeys.map((key, index) => (
              <span key={key} className="inline-block whitespace-nowrap">
                {key}
                {index < database.envKeys.length - 1 && ',\u00a0'}
              </span>
            ))}
          </Item>
        )}
      </dl>
      <p className="mt-3 text-xs text-zinc-600 dark:text-zinc-400">
        The host resolves on the project&apos;s network only: the app reaches the database, the internet does
        not.
      </p>
      {canReveal && (
        <div className="mt-4">
          <RevealUrlButton project={project} database={database.name} />
        </div>
      )}
      {canLink && (
        <div className="mt-4 border-t border-zinc-100 pt-4 dark:border-zinc-800">
          <LinkControl project={project} database={database} />
        </div>
      )}
    </Card>
  );
}
