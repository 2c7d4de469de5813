import { DeploymentTimeline } from '@/components/deployment/deployment-timeline';
import { loadProject } from '@/components/project/load-project';
import { requireSignedIn } from '@/trpc/server';

export default async function DeploymentsPage({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  const project = await loadProject(name);
  const deployments = await requireSignedIn(`/projects/${encodeURIComponent(name)}`, (api) =>
    api.deployment.list({ project: project.name, limit: 50, allGroups: true }),
  );
  return <DeploymentTimeline project={project.name} role={project.role} initialDeployments={deployments} />;
}
