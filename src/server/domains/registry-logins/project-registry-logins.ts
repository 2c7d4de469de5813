import type { ProjectRegistryLogins } from '@/server/registry/registry-logins';
import { registryHasLogins, registryLoginForPull } from './registry-login.service';

/** The logins stored with `rise registry login` (encrypted in the database), as pulls read them. */
export const projectRegistryLogins: ProjectRegistryLogins = {
  forPull: (project, host) => registryLoginForPull(project.name, host),
  hostHasLogins: registryHasLogins,
};
