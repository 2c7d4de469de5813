import type Dockerode from 'dockerode';
import { httpRequest } from '../../test/http-load';
import { waitFor } from '../../test/wait';
import { APP_PORT, BENCH_LABEL } from './app-image';

/** Plain `docker run` of `image` with its port published → first 200 with `body`, in ms (no Rise involved). */
export async function dockerRunTo200(docker: Dockerode, image: string, body: string): Promise<number> {
  const [key, value] = BENCH_LABEL.split('=') as [string, string];
  const started = Date.now();
  const container = await docker.createContainer({
    Image: image,
    Labels: { [key]: value },
    ExposedPorts: { [`${APP_PORT}/tcp`]: {} },
    HostConfig: { PortBindings: { [`${APP_PORT}/tcp`]: [{ HostIp: '127.0.0.1', HostPort: '' }] } },
  });
  try {
    await container.start();
    const info = await container.inspect();
    const port = Number(info.NetworkSettings.Ports[`${APP_PORT}/tcp`]?.[0]?.HostPort);
    return await waitFor(
      async () => {
        const answer = await httpRequest({ port, host: 'localhost', timeoutMs: 2_000 });
        return answer.status === 200 && answer.body === body ? Date.now() - started : null;
      },
      {
        description: `docker run of ${image} to answer`,
        timeoutMs: started + 30_000 - Date.now(),
        intervalMs: 10,
      },
    );
  } finally {
    await container.remove({ force: true });
  }
}
