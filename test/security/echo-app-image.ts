import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Dockerode from 'dockerode';

export const ECHO_APP_PORT = 8080;

// A CGI script: busybox httpd exports every request header as HTTP_<NAME>.
const ECHO_SCRIPT = [
  '#!/bin/busybox sh',
  "printf 'Content-Type: text/plain\\r\\n\\r\\n'",
  'printf \'cookie=%s\\n\' "$HTTP_COOKIE"',
  'printf \'authorization=%s\\n\' "$HTTP_AUTHORIZATION"',
  'printf \'user=%s\\n\' "$HTTP_X_RISE_USER"',
  '',
].join('\n');

/**
 * An app that shows what reached it: `/cgi-bin/echo` prints the request's Cookie, Authorization and
 * X-Rise-User headers; `/health` and `/` answer 200. `FROM scratch` + Debian's static busybox, labelled
 * rise.test=1 like test/images.ts.
 */
export async function buildEchoAppImage(tag: string, docker = new Dockerode()): Promise<string> {
  const context = await mkdtemp(path.join(tmpdir(), 'rise-test-echo-'));
  try {
    const files: Record<string, string> = {
      'www/index.html': 'echo app\n',
      'www/health': 'ok\n',
      'www/cgi-bin/echo': ECHO_SCRIPT,
      Dockerfile: [
        'FROM scratch',
        'LABEL rise.test=1',
        'COPY busybox /bin/busybox',
        'COPY www /www',
        `EXPOSE ${ECHO_APP_PORT}`,
        `CMD ["/bin/busybox", "httpd", "-f", "-vv", "-p", "${ECHO_APP_PORT}", "-h", "/www"]`,
        '',
      ].join('\n'),
    };
    for (const [name, content] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(context, name)), { recursive: true });
      await writeFile(path.join(context, name), content, { mode: name.includes('cgi-bin') ? 0o755 : 0o644 });
    }
    await copyFile('/bin/busybox', path.join(context, 'busybox'));
    const stream = await docker.buildImage(
      {
        context,
        src: ['Dockerfile', 'busybox', ...Object.keys(files).filter((name) => name !== 'Dockerfile')],
      },
      { t: tag, rm: true, forcerm: true },
    );
    await new Promise<void>((resolve, reject) =>
      docker.modem.followProgress(stream, (error: Error | null, events: { error?: string }[]) => {
        const failure = error?.message ?? events.find((event) => event.error)?.error;
        return failure ? reject(new Error(`docker build of ${tag} failed: ${failure}`)) : resolve();
      }),
    );
    return tag;
  } finally {
    await rm(context, { recursive: true, force: true });
  }
}
