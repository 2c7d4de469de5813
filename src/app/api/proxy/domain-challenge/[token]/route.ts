import { answerHttpChallenge } from '@/server/domains/custom-domains/domain.service';

export const dynamic = 'force-dynamic';

/**
 * Rise's proxy sends http://<any host>/.well-known/rise-challenge/<token> here (see the challenge route
 * in src/server/proxy/routes.ts): the token, as plain text, only for a pending domain with that token.
 */
export async function GET(request: Request, context: { params: Promise<{ token: string }> }) {
  const { token } = await context.params;
  const answer = await answerHttpChallenge(request.headers.get('host') ?? '', token);
  if (answer === null) return new Response('Not found\n', { status: 404 });
  return new Response(answer, {
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
  });
}
