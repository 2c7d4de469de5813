import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/server/db';
import { AppError } from '@/server/errors';
import { createUser, rejectionOf, uniqueName } from '../../../test/fixtures';
import { startJwksIssuer } from '../../../test/jwks-server';
import { resolveCaller } from './resolve-caller';

let issuer: Awaited<ReturnType<typeof startJwksIssuer>>;
let projectId: string;

beforeAll(async () => {
  issuer = await startJwksIssuer();
  const owner = await createUser();
  const project = await getDb().project.create({
    data: { name: uniqueName('ci-app'), ownerUserId: owner.id },
  });
  projectId = project.id;
  await getDb().serviceAccount.create({
    data: {
      projectId,
      name: 'main-branch',
      issuer: issuer.issuer,
      claims: { aud: 'rise', repository: 'acme/app', ref: 'refs/heads/main' },
      role: 'developer',
    },
  });
});
afterAll(() => issuer.close());

const bearer = (token: string) => new Headers({ authorization: `Bearer ${token}` });
const resolve = (token: string, trusted = [issuer.issuer]) =>
  resolveCaller(bearer(token), { trustedIssuers: trusted });

const rejection = (promise: Promise<unknown>) => rejectionOf(promise, AppError);

describe('JWTs from trusted issuers', () => {
  it('a token whose claims match exactly one service account acts as it', async () => {
    const token = await issuer.sign({
      aud: 'rise',
      repository: 'acme/app',
      ref: 'refs/heads/main',
      sub: 'run-1',
    });
    expect(await resolve(token)).toMatchObject({
      kind: 'service-account',
      serviceAccount: { name: 'main-branch', projectId, role: 'developer' },
      subject: 'run-1',
    });
  });

  it('accepts aud given as an array that contains the required audience', async () => {
    const token = await issuer.sign({
      aud: ['other', 'rise'],
      repository: 'acme/app',
      ref: 'refs/heads/main',
    });
    expect((await resolve(token))?.kind).toBe('service-account');
  });

  it('refuses a claim that differs', async () => {
    const token = await issuer.sign({ aud: 'rise', repository: 'acme/app', ref: 'refs/heads/feature' });
    const error = await rejection(resolve(token));
    expect(error.code).toBe('UNAUTHORIZED');
    expect(error.message).toContain('No service account matches');
  });

  it('requires aud', async () => {
    const token = await issuer.sign({ repository: 'acme/app', ref: 'refs/heads/main' });
    expect((await rejection(resolve(token))).message).toContain('"aud"');
  });

  it('refuses an expired token', async () => {
    const token = await issuer.sign(
      { aud: 'rise', repository: 'acme/app', ref: 'refs/heads/main' },
      { expiresIn: '-1m' },
    );
    expect((await rejection(resolve(token))).message).toContain('JWT rejected');
  });

  it('refuses an issuer that is not trusted, and a token signed by another key', async () => {
    const token = await issuer.sign({ aud: 'rise', repository: 'acme/app', ref: 'refs/heads/main' });
    expect((await rejection(resolve(token, []))).message).toContain('is not trusted');
    const forger = await startJwksIssuer();
    try {
      const forged = await forger.sign(
        { aud: 'rise', repository: 'acme/app', ref: 'refs/heads/main' },
        { issuer: issuer.issuer },
      );
      expect((await rejection(resolve(forged))).message).toContain('JWT rejected');
    } finally {
      await forger.close();
    }
  });

  it('is a conflict when more than one service account matches', async () => {
    await getDb().serviceAccount.create({
      data: {
        projectId,
        name: 'any-branch',
        issuer: issuer.issuer,
        claims: { aud: 'rise', repository: 'acme/app' },
      },
    });
    try {
      const token = await issuer.sign({ aud: 'rise', repository: 'acme/app', ref: 'refs/heads/main' });
      const error = await rejection(resolve(token));
      expect(error.code).toBe('CONFLICT');
      expect(error.message).toContain('any-branch, main-branch');
    } finally {
      await getDb().serviceAccount.deleteMany({ where: { name: 'any-branch' } });
    }
  });
});
