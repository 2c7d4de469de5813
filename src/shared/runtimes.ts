/**
 * The runtimes Rise can run a project on, as everything outside the server sees them (zod enums, CLI
 * choices, `.rise.toml`, dashboard options). The server's runtime registry
 * (src/server/runtime/registry.ts) must have one module per entry: its type makes a missing one a
 * compile error. Adding a runtime: its folder under src/server/runtime/ and one entry here.
 */
export const RUNTIMES = [
  { name: 'docker', label: 'Docker' },
  { name: 'kubernetes', label: 'Kubernetes' },
] as const;

export type RuntimeName = (typeof RUNTIMES)[number]['name'];

export const RUNTIME_NAMES = RUNTIMES.map((runtime) => runtime.name) as [RuntimeName, ...RuntimeName[]];

export const DEFAULT_RUNTIME: RuntimeName = 'docker';

export function runtimeLabel(name: string): string {
  return RUNTIMES.find((runtime) => runtime.name === name)?.label ?? name;
}
