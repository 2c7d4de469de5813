'use client';

import { useQuery } from '@tanstack/react-query';
import { formatBytes } from '@/components/backups/format';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { ErrorAlert } from '@/components/ui/error-alert';
import type { DiskLevel } from '@/server/domains/disk-hygiene/disk-usage.schema';
import { useTRPC } from '@/trpc/react';

const BADGE: Record<DiskLevel, string> = {
  ok: 'bg-emerald-100 text-emerald-900 dark:bg-emerald-900/60 dark:text-emerald-200',
  warning: 'bg-amber-100 text-amber-900 dark:bg-amber-900/60 dark:text-amber-200',
  critical: 'bg-red-100 text-red-900 dark:bg-red-900/60 dark:text-red-200',
};

function Row({ label, value }: { label: string; value: string }) {
  return (
    <div className="flex justify-between gap-3 py-1">
      <dt className="text-zinc-600 dark:text-zinc-400">{label}</dt>
      <dd className="tabular-nums">{value}</dd>
    </div>
  );
}

/** Disk use: the data filesystem against the thresholds, Rise's data directories, Docker's images and volumes. */
export function PlatformDisk() {
  const trpc = useTRPC();
  const query = useQuery(trpc.admin.disk.queryOptions(undefined, { staleTime: 0 }));
  const disk = query.data;
  return (
    <Card
      title="Disk"
      titleId="admin-disk"
      actions={
        <Button small onClick={() => query.refetch()} disabled={query.isFetching}>
          {query.isFetching ? 'Measuring…' : 'Refresh'}
        </Button>
      }
    >
      <ErrorAlert error={query.error} prefix="Could not measure disk use" className="mb-3" />
      {!disk ? (
        <p className="text-sm text-zinc-500 dark:text-zinc-400">
          {query.isPending ? 'measuring…' : 'no answer'}
        </p>
      ) : (
        <div className="grid gap-4 text-sm sm:grid-cols-3">
          <section aria-labelledby="disk-filesystem">
            <h3 id="disk-filesystem" className="mb-1 flex items-center gap-2 font-medium">
              Filesystem
              <span
                data-testid="disk-level"
                className={`rounded-full px-2 py-0.5 text-xs font-medium ${BADGE[disk.filesystem.level]}`}
              >
                {disk.filesystem.level}
              </span>
            </h3>
            <dl>
              <Row label="Used" value={`${disk.filesystem.usedPercent}%`} />
              <Row label="Free" value={formatBytes(disk.filesystem.freeBytes)} />
              <Row label="Size" value={formatBytes(disk.filesystem.totalBytes)} />
              <Row
                label="Thresholds"
                value={`${disk.filesystem.warningPercent}% / ${disk.filesystem.criticalPercent}%`}
              />
            </dl>
            <p className="mt-1 break-all text-xs text-zinc-500 dark:text-zinc-400">{disk.filesystem.path}</p>
          </section>
          <section aria-labelledby="disk-data">
            <h3 id="disk-data" className="mb-1 font-medium">
              Rise data
            </h3>
            <dl>
              {disk.dataDirs.map((dir) => (
                <Row key={dir.path} label={dir.name} value={formatBytes(dir.bytes)} />
              ))}
            </dl>
          </section>
          <section aria-labelledby="disk-docker">
            <h3 id="disk-docker" className="mb-1 font-medium">
              Docker
            </h3>
            {disk.docker ? (
              <dl>
                <Row
                  label={`Images (${disk.docker.images.count})`}
                  value={formatBytes(disk.docker.images.bytes)}
                />
                <Row
                  label={`Rise app images (${disk.docker.images.riseCount})`}
                  value={formatBytes(disk.docker.images.riseBytes)}
                />
                <Row
                  label={`Volumes (${disk.docker.volumes.count})`}
                  value={formatBytes(disk.docker.volumes.bytes)}
                />
                <Row
                  label={`Containers (${disk.docker.containers.count})`}
                  value={formatBytes(disk.docker.containers.bytes)}
                />
                <Row label="Build cache" value={formatBytes(disk.docker.buildCacheBytes)} />
              </dl>
            ) : (
              <p className="text-red-800 dark:text-red-200">{disk.dockerError}</p>
            )}
          </section>
        </div>
      )}
    </Card>
  );
}
