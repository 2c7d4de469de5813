import { describe, expect, it } from 'vitest';
import { domainChallenge, httpChallengeUrl, TOKEN_PATTERN, txtRecordText } from './domain-challenge';
import { checkTxtRecord } from './domain-verifier';

describe('domain challenge', () => {
  it('names the TXT record and the HTTP URL to publish', () => {
    const challenge = domainChallenge('app.example.com', 'tok_en-123', 80);
    expect(challenge).toEqual({
      txt: { name: '_rise-challenge.app.example.com', value: 'tok_en-123' },
      http: { url: 'http://app.example.com/.well-known/rise-challenge/tok_en-123', body: 'tok_en-123' },
    });
    expect(txtRecordText(challenge)).toBe('_rise-challenge.app.example.com. TXT "tok_en-123"');
    expect(httpChallengeUrl('app.example.com', 't', 8080)).toBe(
      'http://app.example.com:8080/.well-known/rise-challenge/t',
    );
  });

  it('accepts only token-shaped path segments', () => {
    expect(TOKEN_PATTERN.test('AbCdEfGhIjKlMnOp_-0123456789')).toBe(true);
    expect(TOKEN_PATTERN.test('short')).toBe(false);
    expect(TOKEN_PATTERN.test('../../etc/passwd-aaaaaaaaaa')).toBe(false);
  });
});

describe('TXT check', () => {
  const records = (answer: string[][] | Error) => async () => {
    if (answer instanceof Error) throw answer;
    return answer;
  };

  it('passes when one record (chunks joined) is the token', async () => {
    expect(await checkTxtRecord(records([['other'], ['tok', 'en']]), 'app.example.com', 'token')).toEqual({
      ok: true,
    });
  });

  it('says when the record is missing', async () => {
    const missing = Object.assign(new Error('queryTxt ENOTFOUND'), { code: 'ENOTFOUND' });
    expect(await checkTxtRecord(records(missing), 'app.example.com', 'token')).toEqual({
      ok: false,
      error: 'TXT _rise-challenge.app.example.com not found',
    });
    const timeout = Object.assign(new Error('queryTxt ETIMEOUT'), { code: 'ETIMEOUT' });
    expect(await checkTxtRecord(records(timeout), 'app.example.com', 'token')).toEqual({
      ok: false,
      error: 'TXT _rise-challenge.app.example.com could not be looked up (ETIMEOUT)',
    });
  });

  it('says what it found instead', async () => {
    expect(await checkTxtRecord(records([['old-token'], ['v=spf1']]), 'app.example.com', 'token')).toEqual({
      ok: false,
      error:
        'TXT _rise-challenge.app.example.com does not have the value token; found: "old-token", "v=spf1"',
    });
  });
});
