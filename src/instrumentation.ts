/** Runs once when the Next.js server starts: a bad environment variable stops it before it serves. */
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') await (await import('./instrumentation-node')).registerNode();
}
