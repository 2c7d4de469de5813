import type { CredentialSubject } from '../registry-credential';

/** The project credentials are for (its name is the repository's last segment). */
export type RegistryProject = { id: string; name: string };

export type RegistryCredentials = {
  /** What `docker login` and image references use: `host[:port]`, no scheme. */
  host: string;
  username: string;
  password: string;
  expiresAt: Date;
  /** Repository path on `host`; push to `${host}/${repository}:<tag>`. */
  repository: string;
};

/** Issues push/pull credentials for one project's repository; one implementation per registry kind. */
export interface RegistryProvider {
  readonly kind: string;
  /** Credentials for `subject` (who asked; the caller is already authorized for the project). */
  credentials(project: RegistryProject, subject: CredentialSubject): Promise<RegistryCredentials>;
}
