import type { TeamRole } from '@/generated/prisma/enums';

export type CallerUser = {
  id: string;
  email: string;
  username: string;
  name: string | null;
  isPlatformAdmin: boolean;
};

/** Who is making a request, after authentication. `null` means anonymous. */
export type Caller =
  | { kind: 'user'; user: CallerUser; via: 'session' | 'token'; tokenId?: string }
  | {
      kind: 'service-account';
      serviceAccount: { id: string; name: string; projectId: string; role: TeamRole };
      issuer: string;
      subject: string | null;
    };

export type UserCaller = Extract<Caller, { kind: 'user' }>;

export function callerLabel(caller: Caller | null): string {
  if (!caller) return 'anonymous';
  if (caller.kind === 'user') return `user:${caller.user.username}`;
  return `service-account:${caller.serviceAccount.name}`;
}
