import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Prisma, PrismaClient } from '@/generated/prisma/client';
import { auditRepo } from '@/server/domains/audit/audit.repo';
import { backupRepo, restoreRepo } from '@/server/domains/backups/backup.repo';
import { deploymentPageSql } from '@/server/domains/deployments/deployment.repo';
import { projectPageSql } from '@/server/domains/projects/project.repo';

/**
 * The list queries at 1,000 projects / 100,000 deployments: each must read through an index, never a
 * whole table (EXPLAIN's plan, not a time, so the assertion holds on a busy machine). Queries built by
 * Prisma are captured from its query log, so the plan is that of the SQL the code really sends.
 */
type PlanNode = { 'Node Type': string; 'Relation Name'?: string; 'Index Name'?: string; Plans?: PlanNode[] };

const client = new pg.Client({ connectionString: process.env.DATABASE_URL });

async function planOf(sql: string, values: unknown[]): Promise<PlanNode> {
  const result = await client.query(`EXPLAIN (FORMAT JSON) ${sql}`, values);
  return (result.rows[0]['QUERY PLAN'] as { Plan: PlanNode }[])[0]!.Plan;
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

const indexesOf = (plan: PlanNode) => new Set(nodes(plan).flatMap((node) => node['Index Name'] ?? []));
const seqScannedOf = (plan: PlanNode) =>
  nodes(plan)
    .filter((node) => node['Node Type'] === 'Seq Scan')
    .map((node) => node['Relation Name']);

const rawPlan = (query: Prisma.Sql) => planOf(query.text, query.values);

/** Runs `work` against a Prisma client that records its queries, and returns their plans. */
async function plansOfPrisma(work: () => Promise<unknown>): Promise<PlanNode[]> {
  const logged = new PrismaClient({
    adapter: new PrismaPg({ connectionString: process.env.DATABASE_URL ?? '' }),
    log: [{ emit: 'event', level: 'query' }],
  });
  const queries: { query: string; params: string }[] = [];
  logged.$on('query', (event) => queries.push(event));
  const global = globalThis as unknown as { riseDb?: PrismaClient };
  const previous = global.riseDb;
  global.riseDb = logged;
  try {
    await work();
  } finally {
    global.riseDb = previous;
    await logged.$disconnect();
  }
  expect(queries.length).toBeGreaterThan(0);
  const plans: PlanNode[] = [];
  for (const query of queries) plans.push(await planOf(query.query, JSON.parse(query.params) as unknown[]));
  return plans;
}

beforeAll(async () => {
  await client.connect();
  // 100 users with 5 projects each, 50 teams with 10 each; 100 deployments per project; user u0 is in
  // teams t0..t2. One project has 10 databases with 2,000 backups each; 50,000 audit events.
  await client.query(`
    INSERT INTO users (id, email, username, updated_at)
      SELECT 'u' || i, 'u' || i || '@example.com', 'user-' || i, now() FROM generate_series(0, 99) i;
    INSERT INTO teams (id, name, updated_at) SELECT 't' || i, 'team-' || i, now() FROM generate_series(0, 49) i;
    INSERT INTO team_members (team_id, user_id, role) SELECT 't' || i, 'u0', 'developer' FROM generate_series(0, 2) i;
    INSERT INTO projects (id, name, owner_user_id, owner_team_id, updated_at)
      SELECT 'p' || i, 'project-' || lpad(i::text, 4, '0'),
        CASE WHEN i < 500 THEN 'u' || (i % 100) END, CASE WHEN i >= 500 THEN 't' || (i % 50) END, now()
      FROM generate_series(0, 999) i;
    INSERT INTO deployments (id, project_id, status, created_by_id, created_at, updated_at)
      SELECT 'p' || p || '-' || d, 'p' || p, CASE WHEN d = 99 THEN 'healthy' ELSE 'superseded' END::"DeploymentStatus",
        'u' || (p % 100), now() - ((100 - d) || ' minutes')::interval, now()
      FROM generate_series(0, 999) p, generate_series(0, 99) d;
    UPDATE projects SET active_deployment_id = id || '-99', desired_state = 'running';
    INSERT INTO backup_destinations (id, project_id, name, kind, config, updated_at)
      VALUES ('dest', 'p0', 'default', 'local', '{}', now());
    INSERT INTO managed_databases (id, project_id, name, engine, image, username, password, database_name, host, volume_name, updated_at)
      SELECT 'db' || i, 'p0', 'db-' || i, 'postgres', 'postgres:17', 'app', 'x', 'app', 'rise-db-' || i, 'v' || i, now()
      FROM generate_series(0, 9) i;
    INSERT INTO backups (id, database_id, project_id, database_name, destination_id, engine, status, created_at)
      SELECT 'b' || db || '-' || n, 'db' || db, 'p0', 'db-' || db, 'dest', 'postgres', 'succeeded',
        now() - (n || ' minutes')::interval
      FROM generate_series(0, 9) db, generate_series(0, 1999) n;
    INSERT INTO audit_events (id, actor_type, actor_id, actor_label, action, target_type, project_id, team_id, created_at)
      SELECT 'a' || i, 'user', 'u' || (i % 100), 'user:user-' || (i % 100), 'project.update', 'project',
        'p' || (i % 1000), CASE WHEN i % 1000 >= 500 THEN 't' || (i % 50) END, now() - (i || ' seconds')::interval
      FROM generate_series(0, 49999) i;
    ANALYZE;
  `);
}, 120_000);

afterAll(async () => {
  await client.end();
});

describe('list queries at 1,000 projects / 100,000 deployments', () => {
  it('a platform admin page of projects walks the name index and probes one deployment per project', async () => {
    const plan = await rawPlan(projectPageSql({ scope: 'all' }, { limit: 100, cursor: 'project-0500' }));
    expect(indexesOf(plan)).toContain('projects_name_key');
    // The latest deployment of the default group (previews do not set a project's status).
    expect(indexesOf(plan)).toContain('deployments_project_id_group_created_at_id_idx');
    expect(seqScannedOf(plan)).not.toContain('deployments');
    expect(seqScannedOf(plan)).not.toContain('projects');
  });

  it("a member's page of projects reads their own and their teams' projects by owner index", async () => {
    const plan = await rawPlan(
      projectPageSql({ scope: { userId: 'u0', teamIds: ['t0', 't1', 't2'] } }, { limit: 100 }),
    );
    expect(indexesOf(plan)).toContain('projects_owner_user_id_name_idx');
    expect(indexesOf(plan)).toContain('projects_owner_team_id_name_idx');
    expect(indexesOf(plan)).toContain('deployments_project_id_group_created_at_id_idx');
    expect(seqScannedOf(plan)).not.toContain('projects');
    expect(seqScannedOf(plan)).not.toContain('deployments');
  });

  it('a page of deployments after a cursor is an index range, not a sort', async () => {
    for (const cursor of [undefined, 'p7-50']) {
      const plan = await rawPlan(deploymentPageSql('p7', 20, cursor));
      expect(indexesOf(plan)).toContain('deployments_project_id_created_at_id_idx');
      expect(nodes(plan).map((node) => node['Node Type'])).not.toContain('Sort');
      expect(seqScannedOf(plan)).toEqual([]);
    }
  });

  it("a page of one group's deployments is an index range of the group index, not a sort", async () => {
    for (const cursor of [undefined, 'p7-50']) {
      const plan = await rawPlan(deploymentPageSql('p7', 20, cursor, 'default'));
      expect(indexesOf(plan)).toContain('deployments_project_id_group_created_at_id_idx');
      expect(nodes(plan).map((node) => node['Node Type'])).not.toContain('Sort');
      expect(seqScannedOf(plan)).toEqual([]);
    }
  });

  it('deleting a deployment or a user finds the rows that refer to it by index', async () => {
    const rollbacks = await planOf('SELECT 1 FROM deployments WHERE rolled_back_from_id = $1', ['p1-1']);
    expect(indexesOf(rollbacks)).toContain('deployments_rolled_back_from_id_idx');
    const created = await planOf('SELECT 1 FROM deployments WHERE created_by_id = $1', ['u1']);
    expect(indexesOf(created)).toContain('deployments_created_by_id_idx');
  });

  it("a page of a database's backups and restores reads by index", async () => {
    const plans = await plansOfPrisma(async () => {
      const first = await backupRepo.list({ databaseId: 'db3' }, { limit: 50 });
      await backupRepo.list({ databaseId: 'db3' }, { limit: 50, cursor: first.at(-1)?.id });
      await restoreRepo.list({ databaseId: 'db3' }, { limit: 50 });
    });
    const backupPages = plans.filter((plan) =>
      nodes(plan).some((node) => node['Relation Name'] === 'backups'),
    );
    expect(backupPages.length).toBeGreaterThan(0);
    for (const plan of plans) expect(seqScannedOf(plan)).not.toContain('backups');
    expect(plans.some((plan) => indexesOf(plan).has('backups_database_id_created_at_id_idx'))).toBe(true);
  });

  it("a member's audit page reads by index", async () => {
    const plans = await plansOfPrisma(() =>
      auditRepo.list(
        { visibleTo: { actorId: 'u0', projectIds: ['p0', 'p100'], teamIds: ['t0', 't1', 't2'] } },
        { limit: 50 },
      ),
    );
    for (const plan of plans) expect(seqScannedOf(plan)).not.toContain('audit_events');
  });
});
