import * as crypto from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { gitForges } from './forges';
import type { GitProvider } from './git-event.schema';
import { constantTimeEqual } from './signature';

vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

const SECRET = "It's a Secret to Everybody";
// GitHub's documented test vector (docs: "Validating webhook deliveries").
const BODY = new TextEncoder().encode('Hello, World!');
const GITHUB_VECTOR = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';
const hex = crypto.createHmac('sha256', SECRET).update(BODY).digest('hex');

const headers = (entries: Record<string, string>) => new Headers(entries);

/** Each forge's header carrying a correct signature of BODY, and a wrong one of the same shape. */
const SIGNED: Record<GitProvider, { good: Record<string, string>; bad: Record<string, string> }> = {
  github: {
    good: { 'X-Hub-Signature-256': `sha256=${hex}` },
    bad: { 'X-Hub-Signature-256': `sha256=${hex.replace(/.$/, (c) => (c === '0' ? '1' : '0'))}` },
  },
  gitlab: { good: { 'X-Gitlab-Token': SECRET }, bad: { 'X-Gitlab-Token': `${SECRET.slice(0, -1)}x` } },
  gitea: { good: { 'X-Gitea-Signature': hex }, bad: { 'X-Gitea-Signature': `sha256=${hex}` } },
  bitbucket: {
    good: { 'X-Hub-Signature': `sha256=${hex}` },
    bad: { 'X-Hub-Signature': `sha1=${hex}` },
  },
};

describe('webhook signatures', () => {
  it('matches GitHub’s documented test vector', () => {
    expect(`sha256=${hex}`).toBe(GITHUB_VECTOR);
  });

  for (const [provider, { good, bad }] of Object.entries(SIGNED) as [
    GitProvider,
    (typeof SIGNED)['github'],
  ][]) {
    describe(provider, () => {
      const forge = gitForges[provider];
      it('accepts the correct signature', () => {
        expect(forge.verify(headers(good), BODY, SECRET)).toBe(true);
      });
      it('refuses a wrong signature', () => {
        expect(forge.verify(headers(bad), BODY, SECRET)).toBe(false);
      });
      it('refuses a missing signature', () => {
        expect(forge.verify(headers({}), BODY, SECRET)).toBe(false);
      });
      it('refuses the correct header for another secret', () => {
        expect(forge.verify(headers(good), BODY, 'another secret')).toBe(false);
      });
    });
  }

  it('signs the raw body: the same JSON re-serialized does not match', () => {
    const raw = new TextEncoder().encode('{"ref": "refs/heads/main"}');
    const signature = `sha256=${crypto.createHmac('sha256', SECRET).update(raw).digest('hex')}`;
    const reserialized = new TextEncoder().encode(JSON.stringify(JSON.parse('{"ref": "refs/heads/main"}')));
    const github = gitForges.github;
    expect(github.verify(headers({ 'x-hub-signature-256': signature }), raw, SECRET)).toBe(true);
    expect(github.verify(headers({ 'x-hub-signature-256': signature }), reserialized, SECRET)).toBe(false);
  });

  it('Gitea also takes Forgejo’s header', () => {
    expect(gitForges.gitea.verify(headers({ 'X-Forgejo-Signature': hex }), BODY, SECRET)).toBe(true);
  });
});

describe('constantTimeEqual', () => {
  const timingSafeEqual = vi.mocked(crypto.timingSafeEqual);

  it('compares with crypto.timingSafeEqual, also when the lengths differ', () => {
    timingSafeEqual.mockClear();
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('abd', 'abc')).toBe(false);
    expect(constantTimeEqual('ab', 'abc')).toBe(false);
    expect(constantTimeEqual('', 'abc')).toBe(false);
    expect(timingSafeEqual).toHaveBeenCalledTimes(4);
  });

  it('compares bytes, not characters (a multi-byte character is not a prefix match)', () => {
    expect(constantTimeEqual('é', 'e')).toBe(false);
    expect(constantTimeEqual('’', '’')).toBe(true);
  });
});
