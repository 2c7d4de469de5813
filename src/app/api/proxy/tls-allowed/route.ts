import { isServedHost } from '@/server/domains/proxy-access/proxy-access.service';

export const dynamic = 'force-dynamic';

/** Caddy's on-demand TLS `ask` endpoint: 200 only for hosts Rise serves (never a pending custom domain). */
export async function GET(request: Request) {
  const domain = new URL(request.url).searchParams.get('domain') ?? '';
  return new Response(null, { status: (await isServedHost(domain)) ? 200 : 404 });
}
