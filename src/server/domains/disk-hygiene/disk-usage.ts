import type { StatsFs } from 'node:fs';
import { lstat, readdir, statfs } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { PROJECT_IMAGE_LABEL } from '@/shared/builders/types';
import type { DiskLevel, DiskUsage } from './disk-usage.schema';
import type { EngineDiskUsage } from './types';

export type Thresholds = { warningPercent: number; criticalPercent: number };

/** The level of `usedPercent`: critical first, so a warning threshold above the critical one cannot hide it. */
export function diskLevelOf(usedPercent: number, thresholds: Thresholds): DiskLevel {
  if (usedPercent >= thresholds.criticalPercent) return 'critical';
  if (usedPercent >= thresholds.warningPercent) return 'warning';
  return 'ok';
}

/** Bytes a directory tree occupies on disk (allocated blocks; symlinks not followed); 0 when absent. */
export async function directoryBytes(path: string): Promise<number> {
  let stats: Awaited<ReturnType<typeof lstat>>;
  try {
    stats = await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  if (!stats.isDirectory()) return stats.blocks * 512;
  let total = stats.blocks * 512;
  let entries: string[];
  try {
    entries = await readdir(path);
  } catch (error) {
    // A directory Rise may not read (e.g. PostgreSQL's own files under another user): counted as empty.
    if ((error as NodeJS.ErrnoException).code === 'EACCES') return total;
    throw error;
  }
  for (const entry of entries) total += await directoryBytes(join(path, entry));
  return total;
}

/**
 * What takes the disk: the data filesystem's use against the thresholds, the size of each directory
 * directly under RISE_DATA_DIR (postgres, registry, backups, ...), and Docker's images, volumes and
 * containers (`docker system df`; Rise's images are those labelled for a project or in Rise's registry).
 */
export async function measureDiskUsage(options: {
  dataDir: string;
  /** The engine's `docker system df`. */
  engineDiskUsage: () => Promise<EngineDiskUsage>;
  thresholds: Thresholds;
  registryHost: string;
}): Promise<DiskUsage> {
  const dataDir = resolve(options.dataDir);
  const fs = await statfsOfNearest(dataDir);
  const totalBytes = fs.blocks * fs.bsize;
  const freeBytes = fs.bavail * fs.bsize;
  // As df counts it: blocks reserved for root are neither used nor available to Rise.
  const usedBytes = (fs.blocks - fs.bfree) * fs.bsize;
  const usedPercent = totalBytes === 0 ? 0 : Math.round((usedBytes / (usedBytes + freeBytes)) * 1000) / 10;
  const entries = await readdir(dataDir, { withFileTypes: true }).catch(() => []);
  const dataDirs = [];
  for (const entry of entries
    .filter((item) => item.isDirectory())
    .sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dataDir, entry.name);
    dataDirs.push({ name: entry.name, path, bytes: await directoryBytes(path) });
  }
  let docker: DiskUsage['docker'] = null;
  let dockerError: string | null = null;
  try {
    docker = summarizeDockerDf(await options.engineDiskUsage(), options.registryHost);
  } catch (error) {
    dockerError = `docker system df failed: ${(error as Error).message}`;
  }
  return {
    filesystem: {
      path: dataDir,
      totalBytes,
      freeBytes,
      usedPercent,
      level: diskLevelOf(usedPercent, options.thresholds),
      ...options.thresholds,
    },
    dataDirs,
    docker,
    dockerError,
  };
}

/** statfs of `path`, or of its nearest existing parent (a data dir not created yet lives there). */
async function statfsOfNearest(path: string): Promise<StatsFs> {
  try {
    return await statfs(path);
  } catch (error) {
    const parent = dirname(path);
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || parent === path) throw error;
    return statfsOfNearest(parent);
  }
}

export function summarizeDockerDf(
  df: EngineDiskUsage,
  registryHost: string,
): NonNullable<DiskUsage['docker']> {
  const images = df.Images ?? [];
  const rise = images.filter(
    (image) =>
      Boolean(image.Labels?.[PROJECT_IMAGE_LABEL]) ||
      [...(image.RepoTags ?? []), ...(image.RepoDigests ?? [])].some((name) =>
        name.startsWith(`${registryHost}/`),
      ),
  );
  const sum = (values: (number | undefined)[]) =>
    values.reduce<number>((total, value) => total + Math.max(0, value ?? 0), 0);
  const volumes = df.Volumes ?? [];
  const containers = df.Containers ?? [];
  return {
    images: {
      count: images.length,
      bytes: sum(images.map((image) => image.Size)),
      riseCount: rise.length,
      riseBytes: sum(rise.map((image) => image.Size)),
    },
    volumes: { count: volumes.length, bytes: sum(volumes.map((volume) => volume.UsageData?.Size)) },
    containers: { count: containers.length, bytes: sum(containers.map((container) => container.SizeRw)) },
    buildCacheBytes: sum((df.BuildCache ?? []).map((entry) => entry.Size)),
  };
}
