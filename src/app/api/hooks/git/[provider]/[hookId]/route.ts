import { receiveGitWebhook } from '@/server/domains/git-hooks/git-hook.service';
import { AppError } from '@/server/errors';
import { clientAddress } from '@/server/security/client-address';
import { limitRequest, retryAfterSeconds } from '@/server/security/rate-limit';
import { BodyTooLarge, readLimitedBody } from '@/server/security/read-limited-body';

export const dynamic = 'force-dynamic';

const STATUS: Partial<Record<AppError['code'], number>> = {
  NOT_FOUND: 404,
  UNAUTHORIZED: 401,
  TOO_MANY_REQUESTS: 429,
};

/**
 * The largest delivery read. Push and pull request payloads are tens of KiB; the largest legitimate
 * ones are GitHub pushes listing up to 2048 commits with their changed files (about 1 KiB each). A
 * bigger body is refused with 413 before the hook is looked up, so nothing is stored for it.
 */
const GIT_HOOK_BODY_LIMIT = 5 * 1024 * 1024;

/** A git forge's webhook delivery (`/api/hooks/git/<provider>/<hookId>`); the logic is in domains/git-hooks. */
export async function POST(
  request: Request,
  context: { params: Promise<{ provider: string; hookId: string }> },
) {
  const { provider, hookId } = await context.params;
  try {
    await limitRequest('git-hook', `${hookId}\n${clientAddress(request.headers)}`);
    const body = await readLimitedBody(request, GIT_HOOK_BODY_LIMIT);
    const answer = await receiveGitWebhook({ provider, hookId, headers: request.headers, body });
    return Response.json(answer.body, {
      status: answer.httpStatus,
      headers: { 'cache-control': 'no-store' },
    });
  } catch (error) {
    if (error instanceof BodyTooLarge)
      return Response.json(
        {
          error: `${error.message} Rise reads git webhook deliveries up to that size; push and pull request payloads are far smaller.`,
        },
        { status: 413, headers: { 'cache-control': 'no-store' } },
      );
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
