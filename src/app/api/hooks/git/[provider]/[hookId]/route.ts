import { receiveGitWebhook } from '@/server/domains/git-hooks/git-hook.service';
import { AppError } from '@/server/errors';
import { clientAddress } from '@/server/security/client-address';
import { limitRequest, retryAfterSeconds } from '@/server/security/rate-limit';

export const dynamic = 'force-dynamic';

const STATUS: Partial<Record<AppError['code'], number>> = {
  NOT_FOUND: 404,
  UNAUTHORIZED: 401,
  TOO_MANY_REQUESTS: 429,
};

/** A git forge's webhook delivery (`/api/hooks/git/<provider>/<hookId>`); the logic is in domains/git-hooks. */
export async function POST(
  request: Request,
  context: { params: Promise<{ provider: string; hookId: string }> },
) {
  const { provider, hookId } = await context.params;
  try {
    await limitRequest('git-hook', `${hookId}\n${clientAddress(request.headers)}`);
    const body = new Uint8Array(await request.arrayBuffer());
    const answer = await receiveGitWebhook({ provider, hookId, headers: request.headers, body });
    return Response.json(answer.body, {
      status: answer.httpStatus,
      headers: { 'cache-control': 'no-store' },
    });
  } catch (error) {
    const status = error instanceof AppError ? STATUS[error.code] : undefined;
    if (!(error instanceof AppError) || status === undefined) throw error;
    const wait = retryAfterSeconds(error);
    return Response.json(
      { error: error.message },
      {
        status,
        headers: { 'cache-control': 'no-store', ...(wait === null ? {} : { 'retry-after': String(wait) }) },
      },
    );
  }
}
