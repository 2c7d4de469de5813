import { describe, expect, it } from 'vitest';
import { createServiceAccountInput } from './service-account.schema';

const input = (claims: Record<string, unknown>) => ({
  name: 'ci',
  issuer: 'https://token.actions.githubusercontent.com',
  claims,
});
const firstIssue = (claims: Record<string, unknown>) =>
  createServiceAccountInput.safeParse(input(claims)).error?.issues[0]?.message;

describe('createServiceAccountInput claims', () => {
  it('accepts aud with at least one more claim; the role defaults to developer', () => {
    expect(createServiceAccountInput.parse(input({ aud: 'rise', repository: 'acme/app' }))).toMatchObject({
      claims: { aud: 'rise', repository: 'acme/app' },
      role: 'developer',
    });
  });

  it('refuses aud alone: any repository of the issuer could present such a token', () => {
    expect(firstIssue({ aud: 'rise' })).toContain("at least one besides 'aud'");
  });

  it('refuses claims without aud, or with an empty one', () => {
    expect(firstIssue({ repository: 'acme/app' })).toContain("must include 'aud'");
    expect(firstIssue({ aud: '', repository: 'acme/app' })).toContain("must include 'aud'");
  });

  it('refuses the owner role', () => {
    const parsed = createServiceAccountInput.safeParse({ ...input({ aud: 'rise', a: 'b' }), role: 'owner' });
    expect(parsed.success).toBe(false);
  });
});
