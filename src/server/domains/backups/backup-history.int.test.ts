/** Backup and restore histories page newest first by cursor, ties broken by id, per database. */
import { describe, expect, it } from 'vitest';
import { getDb } from '@/server/db';
import { apiAs, createUser, insertRunningDatabase, uniqueName, userCaller } from '../../../../test/fixtures';

async function world() {
  const db = getDb();
  const owner = await createUser();
  const project = await db.project.create({ data: { name: uniqueName('hist'), ownerUserId: owner.id } });
  const main = await insertRunningDatabase(project, 'main');
  const other = await insertRunningDatabase(project, 'other');
  const destination = await db.backupDestination.create({
    data: { projectId: project.id, name: 'local', kind: 'local', config: { path: '' } },
  });
  const at = new Date('2026-11-22T12:00:00Z');
  const backup = (databaseId: string, id: string) =>
    db.backup.create({
      data: {
        id,
        databaseId,
        projectId: project.id,
        destinationId: destination.id,
        engine: 'postgres',
        createdAt: at,
      },
    });
  // Five of main's taken in the same instant (only the id orders them), one of the other database.
  const ids = ['hist-b1', 'hist-b2', 'hist-b3', 'hist-b4', 'hist-b5'].map((id) => `${id}-${project.id}`);
  for (const id of ids) await backup(main.id, id);
  await backup(other.id, `hist-other-${project.id}`);
  for (const [index, id] of ids.entries()) {
    await db.restore.create({
      data: { id: `hist-r${index}-${project.id}`, backupId: id, mode: 'drill', createdAt: at },
    });
  }
  return { api: apiAs(userCaller(owner)), project: project.name, ids };
}

/** Every page of a history, following the last id. */
async function allPages<T extends { id: string }>(
  fetchPage: (cursor?: string) => Promise<T[]>,
  limit: number,
) {
  const pages: string[][] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await fetchPage(cursor);
    pages.push(page.map((row) => row.id));
    if (page.length < limit) return pages;
    cursor = page.at(-1)?.id;
  }
}

describe('backup histories', () => {
  it("page through one database's backups, newest first, without gaps, repeats or other databases", async () => {
    const { api, project, ids } = await world();
    const pages = await allPages(
      (cursor) => api.backup.list({ project, database: 'main', limit: 2, cursor }),
      2,
    );
    const newestFirst = [...ids].reverse();
    expect(pages).toEqual([newestFirst.slice(0, 2), newestFirst.slice(2, 4), newestFirst.slice(4)]);
    const [first] = await api.backup.list({ project, database: 'main', limit: 1 });
    expect(first).toMatchObject({ id: newestFirst[0], database: 'main', destination: 'local' });
  });

  it("page through one database's restores", async () => {
    const { api, project } = await world();
    const pages = await allPages(
      (cursor) => api.backup.restores({ project, database: 'main', limit: 2, cursor }),
      2,
    );
    expect(pages.flat()).toHaveLength(5);
    expect(new Set(pages.flat()).size).toBe(5);
    expect(pages.map((page) => page.length)).toEqual([2, 2, 1]);
  });
});
