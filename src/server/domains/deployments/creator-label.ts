/** `user:alice` or `service-account:acme-app` (a CI job), as CLI and dashboard show who deployed; null when gone. */
export function creatorLabel(deployment: {
  createdBy: { username: string } | null;
  createdByServiceAccount: { name: string } | null;
}): string | null {
  if (deployment.createdBy) return `user:${deployment.createdBy.username}`;
  if (deployment.createdByServiceAccount) return `service-account:${deployment.createdByServiceAccount.name}`;
  return null;
}
