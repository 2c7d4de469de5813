import { type NextRequest, NextResponse } from 'next/server';
import { strictTransportSecurity } from '@/server/security/security-headers';

/** The header that tells server layouts which page was asked for (layouts do not receive the path). */
export const REQUEST_PATH_HEADER = 'x-rise-path';

export function proxy(request: NextRequest) {
  const headers = new Headers(request.headers);
  headers.set(REQUEST_PATH_HEADER, `${request.nextUrl.pathname}${request.nextUrl.search}`);
  const response = NextResponse.next({ request: { headers } });
  // Read at run time (one build serves any RISE_URL), unlike next.config's static headers.
  const hsts = strictTransportSecurity(process.env.RISE_URL);
  if (hsts) response.headers.set('Strict-Transport-Security', hsts);
  return response;
}

export const config = {
  matcher: ['/((?!api/|_next/|favicon.ico).*)'],
};
