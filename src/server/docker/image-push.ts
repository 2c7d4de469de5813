import type Dockerode from 'dockerode';
import { dockerMessage } from './docker-errors';

type PushEvent = {
  status?: string;
  id?: string;
  error?: string;
  aux?: { Digest?: string };
};

/**
 * Pushes `reference` (`host/repository:tag`, already built on the engine) with credentials sent with
 * this push only (X-Registry-Auth); each layer's final status goes to `onLog`. Returns the pushed
 * manifest's digest.
 */
export async function pushImage(
  docker: Dockerode,
  reference: string,
  authconfig: { username: string; password: string; serveraddress: string },
  onLog: (line: string) => void,
  signal?: AbortSignal,
): Promise<string> {
  const colon = reference.lastIndexOf(':');
  const name = reference.slice(0, colon);
  const tag = reference.slice(colon + 1);
  try {
    const stream = await docker.getImage(name).push({ tag, authconfig, abortSignal: signal });
    const events = await new Promise<PushEvent[]>((resolve, reject) => {
      stream.on('error', reject);
      docker.modem.followProgress(
        stream,
        (error: Error | null, all: PushEvent[]) => (error ? reject(error) : resolve(all)),
        (event: PushEvent) => {
          if (event.id && event.status && /^(Pushed|Layer already exists|Mounted from)/.test(event.status))
            onLog(`${event.id}: ${event.status}`);
        },
      );
    });
    const failed = events.find((event) => event.error);
    if (failed) throw new Error(failed.error);
    const digest = events.map((event) => event.aux?.Digest).find((value) => value);
    if (!digest) throw new Error('the engine reported no digest');
    onLog(`Pushed ${reference} (${digest})`);
    return digest;
  } catch (error) {
    throw new Error(`Could not push ${reference}: ${dockerMessage(error)}`, { cause: error });
  }
}
