import { type NextRequest, NextResponse } from 'next/server';

/** The header that tells server layouts which page was asked for (layouts do not receive the path). */
export const REQUEST_PATH_HEADER = 'x-rise-path';

export function proxy(request: NextRequest) {
  const headers = new Headers(request.headers);
  headers.set(REQUEST_PATH_HEADER, `${request.nextUrl.pathname}${request.nextUrl.search}`);
  return NextResponse.next({ request: { headers } });
}

export const config = {
  matcher: ['/((?!api/|_next/|favicon.ico).*)'],
};
