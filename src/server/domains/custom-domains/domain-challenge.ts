/** What a project owner publishes to prove a custom domain is theirs (pure: no I/O). */

export const TXT_RECORD_PREFIX = '_rise-challenge';
export const HTTP_CHALLENGE_PATH = '/.well-known/rise-challenge/';

/** Name of the TXT record whose value must be the domain's verification token. */
export const txtRecordName = (hostname: string) => `${TXT_RECORD_PREFIX}.${hostname}`;

/** Where Rise's proxy serves the token of a pending domain, and where Rise looks for it. */
export function httpChallengeUrl(hostname: string, token: string, httpPort: number): string {
  return `http://${hostname}${httpPort === 80 ? '' : `:${httpPort}`}${HTTP_CHALLENGE_PATH}${token}`;
}

export type DomainChallenge = {
  txt: { name: string; value: string };
  http: { url: string; body: string };
};

export function domainChallenge(hostname: string, token: string, httpPort: number): DomainChallenge {
  return {
    txt: { name: txtRecordName(hostname), value: token },
    http: { url: httpChallengeUrl(hostname, token, httpPort), body: token },
  };
}

/** The record to create, as one line for a terminal or a DNS provider's form. */
export const txtRecordText = (challenge: DomainChallenge) =>
  `${challenge.txt.name}. TXT "${challenge.txt.value}"`;

/** A token from a URL path segment: only the characters Rise's tokens use, so nothing else is looked up. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;
