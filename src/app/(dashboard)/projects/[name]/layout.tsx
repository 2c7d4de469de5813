import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { loadProject } from '@/components/project/load-project';
import { ProjectHeader } from '@/components/project/project-header';
import { ProjectTabs } from '@/components/project/project-tabs';

type Params = Promise<{ name: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { name } = await params;
  return { title: `${name} · Rise` };
}

export default async function ProjectLayout({ children, params }: { children: ReactNode; params: Params }) {
  const { name } = await params;
  const project = await loadProject(name);
  return (
    <>
      <ProjectHeader initialProject={project} />
      <ProjectTabs name={project.name} />
      {children}
    </>
  );
}
