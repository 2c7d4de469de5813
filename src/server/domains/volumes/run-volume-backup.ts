import type { BackupStore } from '@/server/backups/storage/backup-store';
import type { VolumeBackupAction } from '@/shared/volumes/volume.schema';
import type { DestinationRecord } from '../backups/backup.repo';
import {
  drillVolumeBackup,
  manifestKeyOf,
  restoreVolumeBackup,
  takeVolumeBackup,
  type VolumeArchiver,
} from '../backups/volume-backup';
import { volumeRepo } from './volume.repo';
import { volumesMounted } from './volume.service';
import { volumeBackupRepo } from './volume-backup.repo';
import { startScheduledVolumeBackup } from './volume-backup.service';

/** What volume backup jobs need from outside; the worker wires Docker and the destinations. */
export type VolumeBackupDeps = {
  archiver: VolumeArchiver;
  /** The runtime's name of a project volume (Docker: `rise-vol.<instance>.<project>.<volume>`). */
  volumeName(project: string, volume: string): string;
  /** A fresh, empty volume for a drill, and how to remove it. */
  scratchVolume(project: string): Promise<{ volume: string; remove: () => Promise<void> }>;
  openStore(destination: DestinationRecord): BackupStore;
  archiveKey(): Buffer;
  now(): Date;
};

const stamp = (date: Date) =>
  date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Runs one action on a volume backup and records its outcome on the row; never throws for its failure. */
export async function runVolumeBackup(deps: VolumeBackupDeps, id: string, action: VolumeBackupAction) {
  const backup = await volumeBackupRepo.findById(id);
  if (!backup) return { skipped: id };
  const project = backup.project.name;
  const store = deps.openStore(backup.destination);
  const archiveKey = backup.encrypted ? deps.archiveKey() : undefined;
  if (action === 'backup') {
    if (backup.status !== 'pending') return { skipped: id };
    await volumeBackupRepo.update(id, { status: 'running' });
    try {
      const taken = await takeVolumeBackup({
        archiver: deps.archiver,
        store,
        volume: deps.volumeName(project, backup.volumeName),
        key: `volumes/${project}/${backup.volumeName}/${stamp(deps.now())}-${id}.tar.gz${archiveKey ? '.enc' : ''}`,
        archiveKey,
      });
      await volumeBackupRepo.update(id, {
        status: 'succeeded',
        key: taken.archive.key,
        sizeBytes: BigInt(taken.archive.size),
        sha256: taken.archive.sha256,
        files: taken.files.length,
        finishedAt: deps.now(),
      });
      return { id, status: 'succeeded' };
    } catch (error) {
      await volumeBackupRepo.update(id, { status: 'failed', error: message(error), finishedAt: deps.now() });
      return { id, status: 'failed', error: message(error) };
    }
  }
  if (backup.status !== 'succeeded' || !backup.key || backup.sizeBytes === null || !backup.sha256) {
    return { skipped: id };
  }
  const stored = { key: backup.key, size: Number(backup.sizeBytes), sha256: backup.sha256 };
  if (action === 'drill') {
    try {
      const report = await drillVolumeBackup({
        archiver: deps.archiver,
        store,
        backup: stored,
        archiveKey,
        scratch: () => deps.scratchVolume(project),
      });
      await volumeBackupRepo.update(id, {
        drilledAt: deps.now(),
        drillOk: report.ok,
        drillReport: { missing: report.missing, extra: report.extra, changed: report.changed, error: null },
      });
      return { id, drill: report.ok ? 'passed' : 'failed' };
    } catch (error) {
      await volumeBackupRepo.update(id, {
        drilledAt: deps.now(),
        drillOk: false,
        drillReport: { missing: [], extra: [], changed: [], error: message(error) },
      });
      return { id, drill: 'failed', error: message(error) };
    }
  }
  // Queued while the app was stopped; a deploy since then would have its files replaced under it.
  if (await volumesMounted(backup.projectId)) {
    throw new Error(
      `'${project}' was started again since the restore of ${id} was queued; stop it (rise d stop ${project}) and restore again.`,
    );
  }
  await restoreVolumeBackup({
    archiver: deps.archiver,
    store,
    backup: stored,
    volume: deps.volumeName(project, backup.volumeName),
    archiveKey,
  });
  await volumeBackupRepo.update(id, { restoredAt: deps.now() });
  return { id, restored: true };
}

/**
 * Retention of a volume's schedule: its scheduled backups beyond the newest `keep` are deleted, archive
 * and manifest first, then their rows. Failed ones count too, but the newest succeeded one is always
 * kept. Returns the ids deleted.
 */
export async function applyVolumeRetention(deps: Pick<VolumeBackupDeps, 'openStore'>, volumeId: string) {
  const volume = await volumeRepo.findById(volumeId);
  if (!volume?.backupKeep) return [];
  const scheduled = await volumeBackupRepo.listScheduled(volume.projectId, volume.name);
  // Never the newest succeeded one, even when the newer ones all failed.
  const newestGood = scheduled.find((backup) => backup.status === 'succeeded');
  const old = scheduled.slice(volume.backupKeep).filter((backup) => backup !== newestGood);
  for (const backup of old) {
    if (!backup.key) continue;
    const store = deps.openStore(backup.destination);
    await store.delete(backup.key);
    await store.delete(manifestKeyOf(backup.key));
  }
  await volumeBackupRepo.deleteMany(old.map((backup) => backup.id));
  return old.map((backup) => backup.id);
}

/** What a volume's cron schedule runs: records a scheduled backup, takes it, then applies retention. */
export async function runScheduledVolumeBackup(deps: VolumeBackupDeps, volumeId: string) {
  const id = await startScheduledVolumeBackup(volumeId);
  if (!id) return { skipped: volumeId };
  const result = await runVolumeBackup(deps, id, 'backup');
  return { ...result, deleted: await applyVolumeRetention(deps, volumeId) };
}
