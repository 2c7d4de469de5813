import { getDb } from '@/server/db';

export type CertificateCheckRow = {
  hostname: string;
  projectId: string;
  checkedAt: Date;
  ok: boolean;
  reason: string | null;
  expiresAt: Date | null;
};

export const certificateCheckRepo = {
  /** Projects on `runtimes` meant to run with a live default deployment, with their verified custom domains. */
  servedProjects: (runtimes: readonly string[]) =>
    getDb().project.findMany({
      where: {
        desiredState: 'running',
        runtime: { in: [...runtimes] },
        activeDeployment: { status: 'healthy' },
      },
      select: {
        id: true,
        name: true,
        domains: {
          where: { verifiedAt: { not: null } },
          select: { hostname: true },
          orderBy: { hostname: 'asc' },
        },
      },
      orderBy: { name: 'asc' },
    }),

  /** Each host's failing streak start (null: its last check passed). */
  failingSince: async (hostnames: string[]): Promise<Map<string, Date | null>> => {
    const rows = await getDb().certificateCheck.findMany({
      where: { hostname: { in: hostnames } },
      select: { hostname: true, failingSince: true },
    });
    return new Map(rows.map((row) => [row.hostname, row.failingSince]));
  },

  /** Writes a host's latest check; a passing one ends its failing streak. */
  record: (row: CertificateCheckRow) => {
    const data = { ...row, ...(row.ok ? { failingSince: null } : {}) };
    return getDb().certificateCheck.upsert({ where: { hostname: row.hostname }, create: data, update: data });
  },

  /** Starts the host's failing streak (certificate.failed is raised); false when one is already running. */
  markFailing: async (hostname: string, since: Date): Promise<boolean> => {
    const { count } = await getDb().certificateCheck.updateMany({
      where: { hostname, failingSince: null },
      data: { failingSince: since },
    });
    return count === 1;
  },

  /** Forgets hosts that are no longer served (a removed domain, a stopped project). */
  deleteOthers: (hostnames: string[]) =>
    getDb().certificateCheck.deleteMany({ where: { hostname: { notIn: hostnames } } }),

  /** A project's latest checks, for its Domains tab. */
  listForProject: (projectId: string) =>
    getDb().certificateCheck.findMany({ where: { projectId }, orderBy: { hostname: 'asc' } }),
};
