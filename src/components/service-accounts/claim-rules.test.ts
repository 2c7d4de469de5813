import { describe, expect, it } from 'vitest';
import { claimRulesFrom } from './claim-rules';

describe('claimRulesFrom', () => {
  it('returns aud and the other claims, trimmed, ignoring blank rows', () => {
    expect(
      claimRulesFrom(' https://rise.example.com ', [
        { name: ' repository ', value: ' acme/app ' },
        { name: '', value: '' },
        { name: 'ref', value: 'refs/heads/main' },
      ]),
    ).toEqual({
      ok: true,
      claims: { aud: 'https://rise.example.com', repository: 'acme/app', ref: 'refs/heads/main' },
    });
  });

  it('requires aud', () => {
    expect(claimRulesFrom('  ', [{ name: 'repository', value: 'acme/app' }])).toMatchObject({
      ok: false,
      field: 'aud',
    });
  });

  it('refuses aud alone, saying why', () => {
    const result = claimRulesFrom('rise', [{ name: '', value: '' }]);
    expect(result).toMatchObject({ ok: false, field: 'claims' });
    expect(!result.ok && result.error).toContain('at least one claim besides aud');
  });

  it('names the row with a missing name or value', () => {
    expect(claimRulesFrom('rise', [{ name: 'repository', value: '' }])).toEqual({
      ok: false,
      field: 'claims',
      error: "Claim 1: enter the value of 'repository'.",
    });
    expect(
      claimRulesFrom('rise', [
        { name: 'repository', value: 'acme/app' },
        { name: '', value: 'main' },
      ]),
    ).toEqual({ ok: false, field: 'claims', error: "Claim 2: enter the claim's name." });
  });

  it('refuses aud among the other claims and a claim listed twice', () => {
    expect(claimRulesFrom('rise', [{ name: 'aud', value: 'other' }])).toMatchObject({
      ok: false,
      error: "Claim 1: 'aud' is the audience field above.",
    });
    expect(
      claimRulesFrom('rise', [
        { name: 'ref', value: 'a' },
        { name: 'ref', value: 'b' },
      ]),
    ).toMatchObject({ ok: false, error: "Claim 2: 'ref' is already listed." });
  });
});
