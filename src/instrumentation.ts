/** Runs once when the Next.js server starts: a bad environment variable stops it before it serves. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  try {
    await import('./env');
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    // Next.js logs instrumentation errors and serves anyway; a misconfigured Rise must not.
    process.exit(1);
  }
}
