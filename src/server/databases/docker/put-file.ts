import path from 'node:path';
import { PassThrough } from 'node:stream';
import type Dockerode from 'dockerode';
import { pack } from 'tar-fs';

/**
 * Copies a host file into `directory` of the container as `name`, owned by root with mode 0600. The
 * container may be stopped: Docker mounts its volumes for the copy.
 */
export async function putFile(
  container: Dockerode.Container,
  directory: string,
  name: string,
  source: string,
): Promise<void> {
  const archive = pack(path.dirname(source), {
    entries: [path.basename(source)],
    map: (header) => ({ ...header, name, mode: 0o600, uid: 0, gid: 0 }),
  });
  // tar-fs produces a streamx stream; the engine client wants a Node stream.
  const body = new PassThrough();
  archive.on('error', (error: Error) => body.destroy(error));
  archive.pipe(body);
  await container.putArchive(body, { path: directory });
}
