import { execFile } from 'node:child_process';
import { PassThrough } from 'node:stream';
import type Dockerode from 'dockerode';

/** What one `docker-registry garbage-collect` run removed, as counted from its output. */
export type GarbageCollection = { blobsDeleted: number; output: string };

const GC_TIMEOUT_MS = 10 * 60_000;

function collected(output: string): GarbageCollection {
  return { blobsDeleted: (output.match(/blob eligible for deletion/g) ?? []).length, output };
}

function gcFailed(command: string, reason: string, output: string) {
  return new Error(`${command} failed: ${reason}\n${output.slice(-2000)}`);
}

/**
 * Runs `<binary> garbage-collect <configFile>` (the CNCF registry's offline mark-and-sweep over its
 * storage): blobs no manifest references any more are deleted. Only safe while nothing pushes to the
 * registry: a layer uploaded for a manifest not yet put would go too (the caller checks that first).
 */
export function garbageCollectRegistry(options: {
  binary: string;
  configFile: string;
}): Promise<GarbageCollection> {
  return new Promise((resolve, reject) => {
    execFile(
      options.binary,
      ['garbage-collect', options.configFile],
      { timeout: GC_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const output = `${stdout}${stderr}`;
        if (error) {
          const command = `${options.binary} garbage-collect ${options.configFile}`;
          reject(gcFailed(command, error.message.split('\n')[0] ?? '', output));
          return;
        }
        resolve(collected(output));
      },
    );
  });
}

/**
 * The same run inside the registry's own container (the compose stack, where the registry's storage is
 * a volume only that container mounts), through the Docker API's exec.
 */
export async function garbageCollectRegistryInContainer(
  docker: Dockerode,
  options: { container: string; binary: string; configFile: string },
): Promise<GarbageCollection> {
  const command = `docker exec ${options.container} ${options.binary} garbage-collect ${options.configFile}`;
  const exec = await docker.getContainer(options.container).exec({
    Cmd: [options.binary, 'garbage-collect', options.configFile],
    AttachStdout: true,
    AttachStderr: true,
  });
  const stream = await exec.start({ hijack: true, stdin: false });
  const chunks: Buffer[] = [];
  const sink = new PassThrough();
  sink.on('data', (chunk: Buffer) => chunks.push(chunk));
  docker.modem.demuxStream(stream, sink, sink);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      stream.destroy();
      reject(
        gcFailed(command, `no end within ${GC_TIMEOUT_MS / 60_000} min`, Buffer.concat(chunks).toString()),
      );
    }, GC_TIMEOUT_MS);
    stream.on('end', () => {
      clearTimeout(timer);
      resolve();
    });
    stream.on('close', () => {
      clearTimeout(timer);
      resolve();
    });
    stream.on('error', (error) => {
      clearTimeout(timer);
      reject(gcFailed(command, error.message, Buffer.concat(chunks).toString()));
    });
  });
  const output = Buffer.concat(chunks).toString();
  const { ExitCode } = await exec.inspect();
  if (ExitCode !== 0) throw gcFailed(command, `exit code ${ExitCode}`, output);
  return collected(output);
}
