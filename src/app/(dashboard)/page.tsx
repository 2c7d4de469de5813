import { CreateProjectDialog } from '@/components/project/create-project-dialog';
import { ProjectList } from '@/components/project/project-list';
import { PROJECT_PAGE_SIZE } from '@/components/project/project-list-page';
import { requireSignedIn } from '@/trpc/server';

export const dynamic = 'force-dynamic';

export default async function ProjectsPage() {
  const { me, projects } = await requireSignedIn('/', async (api) => {
    const [me, projects] = await Promise.all([api.me(), api.project.list({ limit: PROJECT_PAGE_SIZE })]);
    return { me, projects };
  });
  if (me.kind !== 'user') return null;

  return (
    <>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold">Projects</h1>
        <CreateProjectDialog username={me.username} isPlatformAdmin={me.isPlatformAdmin} />
      </div>
      <ProjectList initialProjects={projects} />
    </>
  );
}
