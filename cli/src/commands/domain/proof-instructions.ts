import type { DomainView } from '../../../../src/shared/custom-domains/domain.schema';

/** How to prove a pending domain, for the terminal. */
export function proofInstructions(
  domain: Pick<DomainView, 'hostname' | 'challenge'>,
  project: string,
): string {
  const { txt, http } = domain.challenge;
  return [
    `Prove that ${domain.hostname} is yours, either way:`,
    `  DNS:  create a TXT record  ${txt.name}  with the value  ${txt.value}`,
    `  HTTP: point ${domain.hostname} at Rise; Rise then serves ${http.url}`,
    `Then: rise domain verify ${domain.hostname} --project ${project}  (Rise also checks by itself for 7 days)`,
  ].join('\n');
}
