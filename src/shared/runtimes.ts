/**
 * The runtimes Rise can run a project on, as everything outside the server sees them (zod enums, CLI
 * choices, `.rise.toml`, dashboard options). The server's runtime registry
 * (src/server/runtime/registry.ts) must have one module per entry: its type makes a missing one a
 * compile error. Adding a runtime: its folder under src/server/runtime/, one entry here and one line
 * in the registry.
 */
export const RUNTIMES = [
  { name: 'docker', label: 'Docker', description: "Docker on Rise's machine" },
  { name: 'kubernetes', label: 'Kubernetes', description: 'the Kubernetes cluster Rise is configured for' },
] as const;

export type RuntimeName = (typeof RUNTIMES)[number]['name'];

export const RUNTIME_NAMES = RUNTIMES.map((runtime) => runtime.name) as [RuntimeName, ...RuntimeName[]];

export const DEFAULT_RUNTIME: RuntimeName = 'docker';

export function isRuntimeName(name: string): name is RuntimeName {
  return (RUNTIME_NAMES as readonly string[]).includes(name);
}

export function runtimeLabel(name: string): string {
  return RUNTIMES.find((runtime) => runtime.name === name)?.label ?? name;
}
