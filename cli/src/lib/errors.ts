/** Exit codes that mean something to scripts. */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  unauthenticated: 3,
  notFound: 4,
  forbidden: 5,
  conflict: 6,
  unreachable: 7,
  /** Gave up waiting (`--timeout`), as GNU timeout(1) exits. */
  timeout: 124,
} as const;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failure,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

const BY_TRPC_CODE: Record<string, number> = {
  UNAUTHORIZED: EXIT.unauthenticated,
  NOT_FOUND: EXIT.notFound,
  FORBIDDEN: EXIT.forbidden,
  CONFLICT: EXIT.conflict,
  PRECONDITION_FAILED: EXIT.conflict,
  BAD_REQUEST: EXIT.usage,
};

/** Turns an API error into a CLI error: the server's message (it says what to do) and an exit code. */
export function fromApiError(error: unknown): CliError {
  if (error instanceof CliError) return error;
  const trpc = error as { data?: { code?: string }; message?: string; cause?: { code?: string } };
  if (trpc?.data?.code)
    return new CliError(trpc.message ?? 'request failed', BY_TRPC_CODE[trpc.data.code] ?? EXIT.failure);
  const message = (error as Error)?.message ?? String(error);
  if (/fetch failed|ECONNREFUSED|ENOTFOUND/.test(message) || trpc?.cause?.code === 'ECONNREFUSED') {
    return new CliError(`Cannot reach Rise: ${message}. Check --url or RISE_URL.`, EXIT.unreachable);
  }
  return new CliError(message, EXIT.failure);
}
