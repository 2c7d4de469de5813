import type { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import { execOrThrow, streamExec } from '@/server/databases/docker/docker-exec';
import { ignoreStatus } from '@/server/docker/docker-errors';
import { ensureImage } from '@/server/docker/image-pull';
import type { RiseLabels } from '@/server/docker/labels';

/**
 * RISE_VOLUME_HELPER_IMAGE's default: any image with a POSIX shell, tar, find and sha256sum works
 * (busybox has all four in 2 MB).
 */
export const DEFAULT_VOLUME_HELPER_IMAGE = 'busybox:1.37';

/** One file of a volume and the SHA-256 of its content; `path` is relative to the volume's root. */
type FileChecksum = { path: string; sha256: string };

const MOUNT = '/volume';
/** How long a helper may live if Rise dies before removing it (it is removed as soon as it is done). */
const HELPER_LIFETIME_S = 6 * 3600;

/**
 * Reads and writes a Docker volume's files through a short-lived helper container that mounts it
 * (`tar`, `sha256sum` run inside it): nothing of the volume is read on the host, and it works with
 * any volume driver.
 */
export class DockerVolumeArchiver {
  constructor(
    private readonly docker: Dockerode,
    private readonly keys: RiseLabels,
    private readonly helperImage: string = DEFAULT_VOLUME_HELPER_IMAGE,
    private readonly extraLabels: Record<string, string> = {},
  ) {}

  /** A tar of the volume's files (paths relative to its root), streamed as the helper writes it. */
  async *archive(volume: string, options: { signal?: AbortSignal } = {}): AsyncGenerator<Buffer> {
    const helper = await this.startHelper(volume, { readOnly: true });
    try {
      yield* streamExec(helper, { cmd: ['tar', '-C', MOUNT, '-cf', '-', '.'] }, { signal: options.signal });
    } finally {
      await this.removeHelper(helper);
    }
  }

  /** The volume's regular files with their SHA-256, sorted by path. */
  async checksums(volume: string): Promise<FileChecksum[]> {
    const helper = await this.startHelper(volume, { readOnly: true });
    try {
      const output = await execOrThrow(helper, {
        cmd: ['sh', '-c', `cd ${MOUNT} && find . -type f -exec sha256sum {} +`],
      });
      return parseChecksums(output);
    } finally {
      await this.removeHelper(helper);
    }
  }

  /** Replaces the volume's files with a tar's (what `archive` wrote); the volume is emptied first. */
  async restore(volume: string, tar: Readable, options: { signal?: AbortSignal } = {}): Promise<void> {
    const helper = await this.startHelper(volume, { readOnly: false });
    try {
      const script = `rm -rf ${MOUNT}/..?* ${MOUNT}/.[!.]* ${MOUNT}/* && tar -C ${MOUNT} -xf -`;
      for await (const _ of streamExec(
        helper,
        { cmd: ['sh', '-c', script] },
        { stdin: tar, signal: options.signal },
      )) {
        // tar -x writes nothing to stdout; reading lets it finish.
      }
    } finally {
      await this.removeHelper(helper);
    }
  }

  private async startHelper(volume: string, options: { readOnly: boolean }): Promise<Dockerode.Container> {
    // Mounting a missing volume would create an empty one: a typo must not back up (or restore into) nothing.
    if (!(await ignoreStatus([404], () => this.docker.getVolume(volume).inspect()))) {
      throw new Error(`Docker volume ${volume} does not exist`);
    }
    await ensureImage(this.docker, this.helperImage);
    const container = await this.docker.createContainer({
      Image: this.helperImage,
      Cmd: ['sleep', String(HELPER_LIFETIME_S)],
      Labels: {
        ...this.extraLabels,
        [this.keys.managedBy]: this.keys.manager,
        [`${this.keys.volume}.helper`]: volume,
      },
      HostConfig: {
        AutoRemove: true,
        NetworkMode: 'none',
        CapDrop: ['NET_RAW'],
        Mounts: [{ Type: 'volume', Source: volume, Target: MOUNT, ReadOnly: options.readOnly }],
      },
    });
    try {
      await container.start();
    } catch (error) {
      await this.removeHelper(container);
      throw error;
    }
    return container;
  }

  private async removeHelper(container: Dockerode.Container): Promise<void> {
    await ignoreStatus([404, 409], () => container.remove({ force: true }));
  }
}

/** `sha256sum` output (`<hex>  ./path`) as checksums sorted by path. */
export function parseChecksums(output: string): FileChecksum[] {
  return output
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const match = /^([0-9a-f]{64}) {2}\.\/(.+)$/.exec(line);
      if (!match) throw new Error(`unexpected sha256sum output: ${JSON.stringify(line)}`);
      return { path: match[2]!, sha256: match[1]! };
    })
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
