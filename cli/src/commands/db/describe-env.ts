/** "DATABASE_URL, DATABASE_HOST, ..." or a hint that the database is not linked. */
export function describeEnv(database: { name: string; envPrefix: string | null; envKeys: string[] }): string {
  if (!database.envPrefix) return `not linked (rise db link ${database.name})`;
  return database.envKeys.join(', ');
}
