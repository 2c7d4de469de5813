import { DeploymentTimeline } from '@/components/deployment/deployment-timeline';
import { loadProject } from '@/components/project/load-project';
import { requireSignedIn } from '@/trpc/server';

export default async function DeploymentsPage({
  params,
  searchParams,
}: {
  params: Promise<{ name: string }>;
  searchParams: Promise<{ deployment?: string | string[] }>;
}) {
  const { name } = await params;
  const { deployment } = await searchParams;
  const project = await loadProject(name);
  const [deployments, source] = await requireSignedIn(`/projects/${encodeURIComponent(name)}`, (api) =>
    Promise.all([
      api.deployment.list({ project: project.name, limit: 50, allGroups: true }),
      api.gitSource.get({ project: project.name }),
    ]),
  );
  return (
    <DeploymentTimeline
      project={project.name}
      role={project.role}
      initialDeployments={deployments}
      initialPicked={typeof deployment === 'string' ? deployment : null}
      gitSource={source && { branch: source.branch }}
    />
  );
}
