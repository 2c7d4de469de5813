import path from 'node:path';
import type { BackupDestinationConfig } from '@/server/backups/storage/backup-destination.schema';
import type { Caller } from '@/server/domains/access/caller';
import { conflict, notFound } from '@/server/errors';
import { decryptSecret, encryptSecret } from '@/server/security/secret-box';
import type { DestinationInput } from '@/shared/backups/backup.schema';
import { recordAudit } from '../audit/audit.service';
import { type DestinationRecord, destinationRepo, isUniqueViolation } from './backup.repo';
import { backupRoot } from './backup-keys';
import { type BackupScope, scopeAudit, scopeProjectId } from './backup-scope';

/** Every scope has a local destination named `local` from its first backup on. */
export const DEFAULT_DESTINATION = 'local';

type LocalConfig = { path: string };
type S3Config = {
  endpoint?: string;
  region: string;
  bucket: string;
  prefix?: string;
  forcePathStyle: boolean;
};
type S3Secret = { accessKeyId: string; secretAccessKey: string };

/** Local destinations live under the backup root, each scope in its own directory. */
function localDirectory(row: DestinationRecord): string {
  const scopeDir = row.projectId ? path.join('projects', row.projectId) : 'platform';
  return path.join(backupRoot(), scopeDir, (row.config as LocalConfig).path);
}

export function describeDestination(row: DestinationRecord): string {
  if (row.kind === 'local') return localDirectory(row);
  const config = row.config as S3Config;
  const where = `s3://${config.bucket}/${config.prefix ?? ''}`;
  return config.endpoint ? `${where} at ${config.endpoint}` : where;
}

export const toDestinationView = (row: DestinationRecord) => ({
  id: row.id,
  name: row.name,
  kind: row.kind,
  location: describeDestination(row),
  createdAt: row.createdAt,
});

/** What the store of a destination is opened with, its credentials decrypted. */
export function destinationStoreConfig(row: DestinationRecord): BackupDestinationConfig {
  if (row.kind === 'local') return { kind: 'local', path: localDirectory(row) };
  const secret = JSON.parse(decryptSecret(row.secret as string)) as S3Secret;
  return { kind: 's3', ...(row.config as S3Config), ...secret };
}

export async function listDestinations(scope: BackupScope) {
  return (await destinationRepo.list(scopeProjectId(scope))).map(toDestinationView);
}

export async function createDestination(caller: Caller, scope: BackupScope, input: DestinationInput) {
  const { name, kind } = input;
  const data =
    input.kind === 'local'
      ? { config: { path: input.path }, secret: null }
      : {
          config: {
            endpoint: input.endpoint,
            region: input.region,
            bucket: input.bucket,
            prefix: input.prefix,
            forcePathStyle: input.forcePathStyle,
          },
          secret: encryptSecret(
            JSON.stringify({ accessKeyId: input.accessKeyId, secretAccessKey: input.secretAccessKey }),
          ),
        };
  if (await destinationRepo.find(scopeProjectId(scope), name)) throw destinationExists(name);
  try {
    const row = await destinationRepo.create({ projectId: scopeProjectId(scope), name, kind, ...data });
    await recordAudit(caller, {
      action: 'backup.destination.create',
      targetType: 'backup-destination',
      targetId: row.id,
      targetName: name,
      ...scopeAudit(scope),
      details: { kind },
    });
    return toDestinationView(row);
  } catch (error) {
    if (isUniqueViolation(error)) throw destinationExists(name);
    throw error;
  }
}

const destinationExists = (name: string) => conflict(`A backup destination named '${name}' already exists.`);

export async function deleteDestination(caller: Caller, scope: BackupScope, name: string) {
  const row = await findDestination(scope, name);
  if (await destinationRepo.inUse(row.id)) {
    throw conflict(
      `Destination '${name}' still holds backups or is used by a schedule; delete those schedules and backups first.`,
    );
  }
  await destinationRepo.delete(row.id);
  await recordAudit(caller, {
    action: 'backup.destination.delete',
    targetType: 'backup-destination',
    targetId: row.id,
    targetName: name,
    ...scopeAudit(scope),
  });
  return { name, deleted: true as const };
}

/** The named destination; `local` is created on first use. */
export async function findDestination(scope: BackupScope, name: string): Promise<DestinationRecord> {
  const projectId = scopeProjectId(scope);
  const row = await destinationRepo.find(projectId, name);
  if (row) return row;
  if (name === DEFAULT_DESTINATION) {
    try {
      return await destinationRepo.create({ projectId, name, kind: 'local', config: { path: '' } });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      return (await destinationRepo.find(projectId, name)) as DestinationRecord;
    }
  }
  throw notFound(`Backup destination '${name}' does not exist; create it with \`rise db destination add\`.`);
}
