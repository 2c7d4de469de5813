import { TRPCError } from '@trpc/server';
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { DatabaseDetail } from '@/components/databases/database-detail';
import { loadProject } from '@/components/project/load-project';
import { requireSignedIn } from '@/trpc/server';

type Props = { params: Promise<{ name: string; database: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { name, database } = await params;
  return { title: `${database} · Databases · ${name} · Rise` };
}

export default async function DatabasePage({ params }: Props) {
  const { name, database: databaseName } = await params;
  const project = await loadProject(name);
  const returnTo = `/projects/${encodeURIComponent(name)}/databases/${encodeURIComponent(databaseName)}`;
  try {
    const database = await requireSignedIn(returnTo, (api) =>
      api.database.get({ project: project.name, database: databaseName }),
    );
    return <DatabaseDetail project={project} initialDatabase={database} />;
  } catch (error) {
    // An unknown name, or one that is not a database name at all.
    if (error instanceof TRPCError && ['NOT_FOUND', 'BAD_REQUEST'].includes(error.code)) notFound();
    throw error;
  }
}
