import type { Metadata } from 'next';
import { AppsOverview } from '@/components/metrics/apps-overview';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Overview · Rise' };

export default function OverviewPage() {
  return (
    <>
      <div className="flex flex-col gap-1">
        <h1 className="text-2xl font-semibold">Overview</h1>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Your apps' CPU, memory and uptime right now, and what happened lately.
        </p>
      </div>
      <AppsOverview />
    </>
  );
}
