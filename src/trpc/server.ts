import 'server-only';
import { TRPCError } from '@trpc/server';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { createCaller } from '@/server/api/root';
import { createContext } from '@/server/api/trpc';

/** A tRPC caller for server components and actions, authenticated by the request's cookies. */
export async function serverApi() {
  return createCaller(await createContext({ headers: await headers() }));
}

/** Runs `load`; an unauthenticated caller is sent to the sign-in page and back to `returnTo`. */
export async function requireSignedIn<T>(
  returnTo: string,
  load: (api: Awaited<ReturnType<typeof serverApi>>) => Promise<T>,
) {
  const api = await serverApi();
  try {
    return await load(api);
  } catch (error) {
    if (error instanceof TRPCError && error.code === 'UNAUTHORIZED') {
      redirect(`/signin?callbackUrl=${encodeURIComponent(returnTo)}`);
    }
    throw error;
  }
}
