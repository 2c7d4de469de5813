import { platformRepo } from '@/server/domains/platform/platform.repo';

export const dynamic = 'force-dynamic';

export async function GET() {
  try {
    await platformRepo.ping();
    return Response.json({ status: 'ok' });
  } catch {
    return Response.json({ status: 'error', database: 'unreachable' }, { status: 503 });
  }
}
