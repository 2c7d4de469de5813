import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueToken } from '@/server/domains/tokens/token.service';
import { launchChromium } from '../browser';
import { createUser } from '../fixtures';
import { type NextServer, startNextServer } from '../next-server';

let server: NextServer;
let token: string;

beforeAll(async () => {
  server = await startNextServer({ RISE_LOCAL_AUTH: 'true' });
  const user = await createUser();
  token = (await issueToken(null, { userId: user.id, name: 'headers', expiresInDays: 1 })).token;
});
afterAll(() => server?.stop());

const trpc = (path: string, input: unknown, auth = token) =>
  fetch(`${server.url}/api/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${auth}` },
    body: JSON.stringify({ json: input }),
  });

describe('security headers', () => {
  for (const path of ['/signin', '/cli/login?code=ABCD-EFGH', '/api/health']) {
    it(`${path} forbids framing and sniffing and sends a CSP`, async () => {
      const response = await fetch(`${server.url}${path}`, { redirect: 'manual' });
      expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    });
  }

  it('sends HSTS only when Rise is served over https', async () => {
    expect((await fetch(`${server.url}/signin`)).headers.get('strict-transport-security')).toBeNull();
    const https = await startNextServer({ RISE_LOCAL_AUTH: 'true', RISE_URL: 'https://rise.example.test' });
    try {
      const response = await fetch(`${https.url}/signin`, { redirect: 'manual' });
      expect(response.headers.get('strict-transport-security')).toBe('max-age=63072000');
    } finally {
      await https.stop();
    }
  });

  describe('in Chromium', () => {
    let browser: Browser;
    let attacker: Server;
    beforeAll(async () => {
      browser = await launchChromium();
      // Another origin that frames the CLI approval page, as a clickjacking page would.
      attacker = createServer((_request, response) => {
        response.setHeader('content-type', 'text/html');
        response.end(`<iframe id="victim" src="${server.url}/cli/login?code=ABCD-EFGH"></iframe>`);
      });
      await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    });
    afterAll(async () => {
      await browser?.close();
      await new Promise((resolve) => attacker?.close(resolve));
    });

    it('/cli/login cannot be framed by another site', async () => {
      const page = await browser.newPage();
      const blocked: string[] = [];
      page.on('console', (message) => {
        if (message.text().includes('frame-ancestors')) blocked.push(message.text());
      });
      await page.goto(`http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`);
      await page.waitForTimeout(1500);
      const frame = page.frames().find((candidate) => candidate !== page.mainFrame());
      expect(frame).toBeDefined();
      // A blocked frame shows Chromium's error page, never Rise's markup.
      expect(await frame!.content()).not.toContain('Rise');
      expect(blocked.length).toBeGreaterThan(0);
      // The same page opened directly renders (so the check above can fail).
      const direct = await browser.newPage();
      await direct.goto(`${server.url}/cli/login?code=ABCD-EFGH`);
      expect(await direct.content()).toContain('Rise');
    });
  });
});

describe('error hygiene', () => {
  it('refuses NUL characters and lone surrogates with 400, naming the field', async () => {
    for (const name of ['bad\u0000team', 'bad\ud800team']) {
      const response = await trpc('team.create', { name });
      expect(response.status).toBe(400);
      const body = await response.text();
      expect(body).toContain('name contains');
      expect(body).not.toMatch(/prisma|invocation|at .*\.ts/i);
    }
    const displayName = await trpc('team.create', { name: 'fine-team', displayName: 'x\u0000y' });
    expect(displayName.status).toBe(400);
    expect(await displayName.text()).toContain('displayName contains a NUL character');
  });

  it('answers 503 with a generic message when PostgreSQL is unreachable', async () => {
    const down = await startNextServer(
      { DATABASE_URL: 'postgresql://rise:x@127.0.0.1:1/rise' },
      undefined,
      false,
    );
    try {
      const response = await fetch(
        `${down.url}/api/trpc/project.list?input=${encodeURIComponent('{"json":{}}')}`,
        {
          headers: { authorization: `Bearer ${token}` },
        },
      );
      expect(response.status).toBe(503);
      const body = await response.text();
      expect(body).toContain("Rise's database is unreachable right now");
      expect(body).not.toMatch(/127\.0\.0\.1|prisma|can't reach database server/i);
    } finally {
      await down.stop();
    }
  });
});
