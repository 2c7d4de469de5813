/** dockerode rejects with an Error carrying the HTTP status of the Engine API and its JSON body. */
type DockerApiError = Error & { statusCode?: number; json?: { message?: string } | null };

export function dockerStatus(error: unknown): number | undefined {
  return error instanceof Error ? (error as DockerApiError).statusCode : undefined;
}

/** The daemon's own message (e.g. "No such image: x") rather than dockerode's "(HTTP code 404) …" wrapper. */
export function dockerMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const body = (error as DockerApiError).json;
  const message = body && typeof body === 'object' && typeof body.message === 'string' ? body.message : null;
  return (message ?? error.message).trim();
}

/** Runs a Docker call whose listed statuses mean "already in the wanted state" (404 gone, 304 stopped…). */
export async function ignoreStatus<T>(statuses: number[], call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    const status = dockerStatus(error);
    if (status !== undefined && statuses.includes(status)) return undefined;
    throw error;
  }
}
