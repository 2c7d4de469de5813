/** One "name = value" row of the claims a CI token must carry, as typed. */
export type ClaimRow = { name: string; value: string };

export type ClaimRulesResult =
  | { ok: true; claims: Record<string, string> }
  | { ok: false; error: string; field: 'aud' | 'claims' };

/**
 * The claim rules of a new service account from the form: `aud` plus at least one other claim (the
 * rule the API enforces; `aud` alone would let any pipeline that asks for that audience act as the
 * account). Blank rows are ignored; values are matched as strings, as CI providers issue them.
 */
export function claimRulesFrom(audience: string, rows: ClaimRow[]): ClaimRulesResult {
  const aud = audience.trim();
  if (aud === '') {
    return { ok: false, field: 'aud', error: 'Enter the audience (aud) your CI requests its token for.' };
  }
  const claims: Record<string, string> = { aud };
  let others = 0;
  for (const [index, row] of rows.entries()) {
    const name = row.name.trim();
    const value = row.value.trim();
    if (name === '' && value === '') continue;
    const label = `Claim ${index + 1}`;
    if (name === '') return { ok: false, field: 'claims', error: `${label}: enter the claim's name.` };
    if (value === '') return { ok: false, field: 'claims', error: `${label}: enter the value of '${name}'.` };
    if (name === 'aud') {
      return { ok: false, field: 'claims', error: `${label}: 'aud' is the audience field above.` };
    }
    if (Object.hasOwn(claims, name)) {
      return { ok: false, field: 'claims', error: `${label}: '${name}' is already listed.` };
    }
    claims[name] = value;
    others++;
  }
  if (others === 0) {
    return {
      ok: false,
      field: 'claims',
      error:
        'Add at least one claim besides aud (e.g. repository or project_path): any pipeline can ask for an audience, so aud alone would let it act as this account.',
    };
  }
  return { ok: true, claims };
}
