import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/server/db';
import { newDeploymentId } from '@/server/domains/deployments/deployment-id';
import { httpApi, signUpLocally } from './api-client';
import { runCli } from './cli-runner';
import { apiAs, userCaller } from './fixtures';
import { type NextServer, startNextServer } from './next-server';

// The PRODUCT.md journey with the real CLI binary (cli/dist/rise.js, built by `npm run build`)
// against a real Rise server. Deploying from source follows with the builders and the registry.

let web: NextServer;
let cookie: string;
const home = mkdtempSync(join(tmpdir(), 'rise-cli-home-'));

const rise = (args: string[], onStderr?: (text: string, child: ChildProcess) => void) =>
  runCli(args, { home, env: { RISE_URL: web.url }, onStderr });

beforeAll(async () => {
  web = await startNextServer({ RISE_LOCAL_AUTH: 'true' });
  cookie = await signUpLocally(web.url, {
    email: 'niklas@example.test',
    password: 'correct-horse-battery',
    name: 'Niklas',
  });
  const niklas = await getDb().user.findUniqueOrThrow({
    where: { email: 'niklas@example.test' },
    select: { id: true, email: true, username: true, name: true, isPlatformAdmin: true },
  });
  await apiAs(userCaller(niklas)).team.create({ name: 'devops' });
}, 120_000);

afterAll(async () => {
  await web?.stop();
  rmSync(home, { recursive: true, force: true });
});

describe('the rise CLI journey', () => {
  it('rise login: device flow approved in the browser session', async () => {
    let approved = false;
    const result = await rise(['login'], (stderr) => {
      const code = /\/cli\/login\?code=([A-Z]{4}-[A-Z]{4})/.exec(stderr)?.[1];
      if (code && !approved) {
        approved = true;
        void httpApi(web.url, { cookie }).cliLogin.approve.mutate({ userCode: code });
      }
    });
    expect(result.code).toBe(0);
    const lines = result.stderr.trim().split('\n');
    expect(lines[0]).toMatch(
      new RegExp(`^Please login to rise at ${web.url}/cli/login\\?code=[A-Z]{4}-[A-Z]{4}$`),
    );
    expect(lines.at(-1)).toBe('Login successful! Welcome back, Niklas!');
    expect(statSync(join(home, 'rise', 'credentials.json')).mode & 0o777).toBe(0o600);
    expect((await rise(['whoami'])).stdout).toContain('user:niklas');
  }, 60_000);

  it('rise p c with a mistyped team suggests the right one', async () => {
    const result = await rise(['p', 'c', 'secret-app', '--visibility', 'private', '--owner', 'team:devopsy']);
    expect(result.code).toBe(4);
    expect(result.stderr.trim()).toBe(
      "Team 'devopsy' does not exist or you do not have permission to create projects for it. Did you mean 'devops'?",
    );
  });

  it('rise p c creates the project', async () => {
    const result = await rise(['p', 'c', 'secret-app', '--visibility', 'private', '--owner', 'team:devops']);
    expect(result.code).toBe(0);
    expect(result.stderr.trim()).toBe(
      "Created project 'secret-app' with private visibility owned by team:devops.",
    );
  });

  it('rise p ls prints the table of the spec', async () => {
    const result = await rise(['p', 'ls']);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n').slice(0, 2)).toEqual([
      'PROJECT         STATUS        URL                             VISIBILITY    OWNER',
      'secret-app      stopped       http://secret-app.localhost     private       team:devops',
    ]);
    const json = JSON.parse((await rise(['p', 'ls', '--output', 'json'])).stdout);
    expect(json).toEqual([
      expect.objectContaining({ name: 'secret-app', status: 'stopped', owner: 'team:devops' }),
    ]);
  });

  it("rise d logs --events streams a deployment's events over SSE", async () => {
    const project = await getDb().project.findUniqueOrThrow({ where: { name: 'secret-app' } });
    const id = newDeploymentId();
    await getDb().deployment.create({
      data: {
        id,
        projectId: project.id,
        status: 'failed',
        image: 'rise-test-app:v1',
        error: 'health check failed',
        events: {
          create: [
            { message: 'Queued rise-test-app:v1' },
            { message: 'Deployment failed: health check failed', level: 'error' },
          ],
        },
      },
    });
    const result = await rise(['d', 'logs', 'secret-app', '--deployment', id, '--events']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Z Queued rise-test-app:v1\n.*Z Deployment failed: health check failed\n/);
    expect(result.stderr).toContain(`Deployment ${id} is failed.`);

    // Following a deployment that already failed ends at once, with exit 1 and the reason.
    const followed = await rise(['d', 's', 'secret-app', id, '--follow']);
    expect(followed.code).toBe(1);
    expect(followed.stderr.trim().split('\n')).toEqual([
      `Deployment ${id} is failed.`,
      `Deployment ${id} failed: health check failed`,
    ]);
    expect(followed.stdout).toMatch(/^error: +health check failed$/m);
    const json = await rise(['d', 's', 'secret-app', '-o', 'json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ id, status: 'failed', imageDigest: null });
  });

  it('rise env set/ls/rm keeps secrets out of listings', async () => {
    expect((await rise(['env', 'set', 'LOG_LEVEL=debug', '--project', 'secret-app'])).code).toBe(0);
    expect((await rise(['env', 'set', 'API_KEY=s3cret', '--secret', '--project', 'secret-app'])).code).toBe(
      0,
    );
    const listed = await rise(['env', 'ls', '--project', 'secret-app']);
    expect(listed.stdout).toContain('LOG_LEVEL');
    expect(listed.stdout).toContain('debug');
    expect(listed.stdout).toContain('******** (secret)');
    expect(listed.stdout).not.toContain('s3cret');
    expect((await rise(['env', 'rm', 'LOG_LEVEL', '--project', 'secret-app'])).code).toBe(0);
    expect((await rise(['env', 'ls', '--project', 'secret-app'])).stdout).not.toContain('LOG_LEVEL');
  });

  it('rise domain add/ls/rm', async () => {
    expect((await rise(['domain', 'add', 'www.secret.example.com', '--project', 'secret-app'])).code).toBe(0);
    expect((await rise(['domain', 'ls', '--project', 'secret-app'])).stdout).toContain(
      'www.secret.example.com',
    );
    const taken = await rise(['domain', 'add', 'www.secret.example.com', '--project', 'secret-app']);
    expect(taken.code).toBe(6);
    expect(taken.stderr.trim()).toBe(
      "www.secret.example.com is already a domain of 'secret-app', pending verification: rise domain verify www.secret.example.com --project secret-app",
    );
    expect((await rise(['domain', 'rm', 'www.secret.example.com', '--project', 'secret-app'])).code).toBe(0);
    expect((await rise(['domain', 'ls', '--project', 'secret-app'])).stderr).toContain('No custom domains');
  });

  it('rise p c --runtime kubernetes and rise p u --runtime choose where a project runs', async () => {
    expect((await rise(['p', 'c', 'k8s-app', '--runtime', 'kubernetes'])).code).toBe(0);
    expect((await rise(['p', 's', 'k8s-app'])).stdout).toMatch(/^Runtime: +kubernetes$/m);
    expect((await rise(['p', 'u', 'k8s-app', '--runtime', 'docker'])).code).toBe(0);
    expect((await rise(['p', 's', 'k8s-app'])).stdout).toMatch(/^Runtime: +docker$/m);
    const wrong = await rise(['p', 'u', 'k8s-app', '--runtime', 'nomad']);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain('Allowed choices are docker, kubernetes');
  });

  it('rise completion bash completes nouns and their aliases', async () => {
    const script = (await rise(['completion', 'bash'])).stdout;
    expect(script).toContain('complete -F _rise rise');
    expect(script).toContain('project|p) COMPREPLY=($(compgen -W "create c new list ls l');
    expect(script).toContain(
      'deployment|d) COMPREPLY=($(compgen -W "create c new list ls l show s start cancel rollback stop extend logs"',
    );
    expect(script).toContain(
      'deployment/show|deployment/s|d/show|d/s) COMPREPLY=($(compgen -W "--url --output -o --group -g --follow -f --timeout --project -p"',
    );
  });

  it('fails with a clear message and exit code when not logged in', async () => {
    await rise(['logout']);
    const result = await rise(['p', 'ls']);
    expect(result.code).toBe(3);
    expect(result.stderr.trim()).toBe('You are not logged in. Run `rise login` (or set RISE_TOKEN).');
  });
});
