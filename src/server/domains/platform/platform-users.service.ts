import { withConfiguredAdmins } from '@/server/domains/access/platform-admins';
import { platformRepo } from './platform.repo';

/** Every user of this Rise installation, for platform admins. */
export async function listPlatformUsers() {
  return (await platformRepo.listUsers()).map((user) => ({
    username: user.username,
    name: user.name,
    email: user.email,
    isPlatformAdmin: withConfiguredAdmins(user).isPlatformAdmin,
    teamCount: user._count.memberships,
    projectCount: user._count.ownedProjects,
    createdAt: user.createdAt,
  }));
}
