import { tokenServiceConfig } from '@/server/registry/config';
import { issueRegistryToken } from '@/server/registry/token-service';

export const dynamic = 'force-dynamic';

/** The registry's token endpoint (Docker registry v2 token spec); the logic is in token-service.ts. */
export async function GET(request: Request) {
  const result = await issueRegistryToken(tokenServiceConfig(), {
    authorization: request.headers.get('authorization'),
    params: new URL(request.url).searchParams,
  });
  const headers: Record<string, string> = { 'cache-control': 'no-store' };
  if (result.status === 401) headers['www-authenticate'] = 'Basic realm="rise"';
  return Response.json(result.body, { status: result.status, headers });
}
