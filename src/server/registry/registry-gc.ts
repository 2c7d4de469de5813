import { execFile } from 'node:child_process';

/** What one `docker-registry garbage-collect` run removed, as counted from its output. */
export type GarbageCollection = { blobsDeleted: number; output: string };

const GC_TIMEOUT_MS = 10 * 60_000;

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
          reject(
            new Error(
              `${options.binary} garbage-collect ${options.configFile} failed: ${error.message.split('\n')[0]}\n${output.slice(-2000)}`,
            ),
          );
          return;
        }
        resolve({ blobsDeleted: (output.match(/blob eligible for deletion/g) ?? []).length, output });
      },
    );
  });
}
