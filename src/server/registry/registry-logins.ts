/** Projects' logins to external registries, as the resolver and the runtimes' pulls read them. */
export type ProjectRegistryLogins = {
  /** The login of `project` for `host` (as loginHostOf keys it), or null. */
  forPull(project: { name: string }, host: string): Promise<{ username: string; password: string } | null>;
  /** Whether any project has a login for `host`. */
  hostHasLogins(host: string): Promise<boolean>;
};
