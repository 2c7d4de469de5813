import { env } from '@/env';
import { createBackupStore } from '@/server/backups/storage/backup-destination.schema';
import { backupArchiveKey } from '@/server/domains/backups/backup-keys';
import { destinationStoreConfig } from '@/server/domains/backups/destination.service';
import {
  runScheduledVolumeBackup,
  runVolumeBackup,
  type VolumeBackupDeps,
} from '@/server/domains/volumes/run-volume-backup';
import { DockerRuntime } from '@/server/runtime/docker/docker-runtime';
import type { VolumeBackupAction } from '@/shared/volumes/volume.schema';
import { engineDeps } from '../engine';

function volumeBackupDeps(): VolumeBackupDeps {
  const { runtime } = engineDeps('docker');
  if (!(runtime instanceof DockerRuntime)) throw new Error('volume backups need the Docker runtime');
  return {
    ...runtime.volumeBackupAccess(env.RISE_VOLUME_HELPER_IMAGE),
    openStore: (destination) => createBackupStore(destinationStoreConfig(destination)),
    archiveKey: backupArchiveKey,
    now: () => new Date(),
  };
}

export async function handleVolumeBackup(
  payload: { volumeBackupId: string; action: VolumeBackupAction } | { volumeId: string },
) {
  const deps = volumeBackupDeps();
  if ('volumeBackupId' in payload) return runVolumeBackup(deps, payload.volumeBackupId, payload.action);
  return runScheduledVolumeBackup(deps, payload.volumeId);
}
