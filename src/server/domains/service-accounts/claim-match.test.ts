import { describe, expect, it } from 'vitest';
import { mismatchedClaims, noMatchReason } from './claim-match';

const ISSUER = 'https://gitlab.example.com';
const mainBranch = { aud: 'rise', project_path: 'acme/app', ref: 'main' };
const anyBranchOfOther = { aud: 'rise', project_path: 'acme/other' };

describe('mismatchedClaims', () => {
  it('names each claim the token lacks or carries with another value; aud may be an array', () => {
    expect(
      mismatchedClaims(mainBranch, { aud: ['x', 'rise'], project_path: 'acme/app', ref: 'main' }),
    ).toEqual([]);
    expect(mismatchedClaims(mainBranch, { aud: 'rise', project_path: 'acme/app', ref: 'feature' })).toEqual([
      'ref',
    ]);
    expect(mismatchedClaims(mainBranch, { aud: 'other' })).toEqual(['aud', 'project_path', 'ref']);
    // Values match exactly, with their type: a number is not its string.
    expect(mismatchedClaims({ aud: 'rise', project_id: '42' }, { aud: 'rise', project_id: 42 })).toEqual([
      'project_id',
    ]);
  });
});

describe('noMatchReason', () => {
  it('names the claims in which the closest account differs, with the token’s values only', () => {
    const reason = noMatchReason(ISSUER, [anyBranchOfOther, mainBranch], {
      aud: 'rise',
      project_path: 'acme/app',
      ref: 'feature',
    });
    expect(reason).toBe(
      `No service account matches this token's claims (issuer ${ISSUER}): the closest one requires a different 'ref' (the token has "feature").`,
    );
    expect(reason).not.toContain('main');
    expect(reason).not.toContain('acme/other');
  });

  it('says when a claim is absent from the token, and shortens long values', () => {
    const reason = noMatchReason(ISSUER, [mainBranch], { aud: 'rise', project_path: 'x'.repeat(200) });
    expect(reason).toContain(`'project_path' (the token has "${'x'.repeat(79)}…)`);
    expect(reason).toContain("'ref' (absent from the token)");
  });

  it('says when no service account trusts the issuer at all', () => {
    expect(noMatchReason(ISSUER, [], { aud: 'rise' })).toContain(
      `No service account trusts issuer ${ISSUER}`,
    );
  });
});
