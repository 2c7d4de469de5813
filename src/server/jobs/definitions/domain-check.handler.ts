import { recheckPendingDomains } from '@/server/domains/custom-domains/domain.service';

export async function handleDomainCheck() {
  return recheckPendingDomains();
}
