import { createReadStream, createWriteStream } from 'node:fs';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { archiveStages, unarchiveStages } from '@/server/backups/archive/backup-archive';
import type { BackupStore, StoredObject } from '@/server/backups/storage/backup-store';
import { downloadVerified } from './verified-download';

/** One file of a volume and the SHA-256 of its content, relative to the volume's root. */
export type FileChecksum = { path: string; sha256: string };

/** Reads and writes a volume's files (Docker: DockerVolumeArchiver, through a helper container). */
export interface VolumeArchiver {
  archive(volume: string, options?: { signal?: AbortSignal }): AsyncIterable<Buffer>;
  checksums(volume: string): Promise<FileChecksum[]>;
  restore(volume: string, tar: Readable, options?: { signal?: AbortSignal }): Promise<void>;
}

/** A taken volume backup: the archive as stored and verified, and the manifest stored beside it. */
export type VolumeBackup = {
  archive: StoredObject;
  manifestKey: string;
  files: FileChecksum[];
  encrypted: boolean;
};

export type VolumeManifest = { format: 'rise-volume-manifest/1'; archive: string; files: FileChecksum[] };

export const manifestKeyOf = (archiveKey: string) => `${archiveKey}.manifest.json`;

/**
 * Tars the volume through the archiver, compresses (and with `key`, encrypts) it like a database
 * backup, stores it (the store reads it back and checks size and SHA-256), then stores the manifest
 * (SHA-256 per file) beside it. The manifest is read just before the tar: files the app changes in
 * between make a later drill report them, so take backups of a quiet volume (or a stopped app).
 */
export async function takeVolumeBackup(options: {
  archiver: VolumeArchiver;
  store: BackupStore;
  volume: string;
  key: string;
  archiveKey?: Buffer;
  signal?: AbortSignal;
}): Promise<VolumeBackup> {
  const { archiver, store, signal } = options;
  const files = await archiver.checksums(options.volume);
  const archive = new PassThrough();
  pipeline(
    Readable.from(archiver.archive(options.volume, { signal })),
    ...archiveStages({ key: options.archiveKey }),
    archive,
  ).catch((error: Error) => archive.destroy(error));
  const stored = await store.put(options.key, archive, { signal });
  const manifest: VolumeManifest = { format: 'rise-volume-manifest/1', archive: stored.key, files };
  const manifestKey = manifestKeyOf(stored.key);
  await store.put(manifestKey, Readable.from([Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`)]), {
    signal,
  });
  return { archive: stored, manifestKey, files, encrypted: options.archiveKey !== undefined };
}

/**
 * Replaces the volume's files with a stored backup's, after checking the stored bytes against the
 * size and SHA-256 recorded when it was taken, and unpacking it in full to a private temp file (disk
 * space: the volume's size). The app should be stopped: files it holds open are replaced under it.
 */
export async function restoreVolumeBackup(options: {
  archiver: VolumeArchiver;
  store: BackupStore;
  backup: { key: string; size: number; sha256: string };
  volume: string;
  archiveKey?: Buffer;
  signal?: AbortSignal;
}): Promise<void> {
  const download = await downloadVerified(options.store, options.backup.key, options.backup);
  try {
    // Decrypted and unpacked in full before the volume is touched: AES-GCM authenticates at the end of
    // the stream, and the volume is emptied before extraction, so a wrong key must fail here.
    const tar = path.join(path.dirname(download.file), 'volume.tar');
    await pipeline(
      download.open(),
      ...unarchiveStages({ key: options.archiveKey }),
      createWriteStream(tar, { mode: 0o600 }),
    );
    await options.archiver.restore(options.volume, createReadStream(tar), { signal: options.signal });
  } finally {
    await download.dispose();
  }
}

export type VolumeDrillReport = {
  ok: boolean;
  files: number;
  missing: string[];
  extra: string[];
  changed: string[];
};

/**
 * A restore drill: restores the backup into a scratch volume (`scratch` creates it and returns its
 * name plus how to remove it), reads the SHA-256 of every restored file and compares them with the
 * manifest stored beside the backup. The live volume is not touched.
 */
export async function drillVolumeBackup(options: {
  archiver: VolumeArchiver;
  store: BackupStore;
  backup: { key: string; size: number; sha256: string };
  archiveKey?: Buffer;
  scratch: () => Promise<{ volume: string; remove: () => Promise<void> }>;
  signal?: AbortSignal;
}): Promise<VolumeDrillReport> {
  const manifest = await readManifest(options.store, manifestKeyOf(options.backup.key));
  const scratch = await options.scratch();
  try {
    await restoreVolumeBackup({ ...options, volume: scratch.volume });
    const difference = compareChecksums(manifest.files, await options.archiver.checksums(scratch.volume));
    const ok = difference.missing.length + difference.extra.length + difference.changed.length === 0;
    return { ok, files: manifest.files.length, ...difference };
  } finally {
    await scratch.remove();
  }
}

async function readManifest(store: BackupStore, key: string): Promise<VolumeManifest> {
  const chunks: Buffer[] = [];
  for await (const chunk of await store.get(key)) chunks.push(chunk as Buffer);
  const manifest = JSON.parse(Buffer.concat(chunks).toString('utf8')) as VolumeManifest;
  if (manifest.format !== 'rise-volume-manifest/1' || !Array.isArray(manifest.files)) {
    throw new Error(`${key} is not a Rise volume manifest`);
  }
  return manifest;
}

/** What differs between two manifests: files missing, extra, or with other content. */
export function compareChecksums(expected: FileChecksum[], actual: FileChecksum[]) {
  const found = new Map(actual.map((file) => [file.path, file.sha256]));
  const wanted = new Map(expected.map((file) => [file.path, file.sha256]));
  return {
    missing: expected.filter((file) => !found.has(file.path)).map((file) => file.path),
    extra: actual.filter((file) => !wanted.has(file.path)).map((file) => file.path),
    changed: expected
      .filter((file) => found.has(file.path) && found.get(file.path) !== file.sha256)
      .map((file) => file.path),
  };
}
