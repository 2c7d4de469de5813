import pg from 'pg';

/** Whether the database at `url` has no user yet (the first sign-up becomes platform admin). */
export async function noUserYet(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<{ exists: boolean }>('SELECT EXISTS (SELECT 1 FROM users) AS exists');
    return !result.rows[0]?.exists;
  } finally {
    await client.end();
  }
}
