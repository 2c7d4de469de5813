import type { Metadata } from 'next';
import { AuditLog } from '@/components/audit/audit-log';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Audit log · Rise' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) ?? '';

export default async function AuditPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  return (
    <>
      <div className="flex flex-col gap-1">
        <h1 className="text-2xl font-semibold">Audit log</h1>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Who did what: your own actions and those on the projects and teams you belong to.
        </p>
      </div>
      <AuditLog
        initialFilters={{
          project: first(params.project),
          team: first(params.team),
          action: first(params.action),
        }}
      />
    </>
  );
}
