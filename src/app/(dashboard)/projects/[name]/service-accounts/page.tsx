import type { Metadata } from 'next';
import { loadProject } from '@/components/project/load-project';
import { ServiceAccountsPanel } from '@/components/service-accounts/service-accounts-panel';
import { env } from '@/env';
import { requireSignedIn } from '@/trpc/server';

type Props = { params: Promise<{ name: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { name } = await params;
  return { title: `Service accounts · ${name} · Rise` };
}

export default async function ServiceAccountsPage({ params }: Props) {
  const { name } = await params;
  const project = await loadProject(name);
  const accounts = await requireSignedIn(`/projects/${encodeURIComponent(name)}/service-accounts`, (api) =>
    api.serviceAccount.list({ project: project.name }),
  );
  return (
    <ServiceAccountsPanel
      project={project}
      initialAccounts={accounts}
      riseUrl={env.RISE_URL}
      trustedIssuers={env.RISE_TRUSTED_ISSUERS}
    />
  );
}
