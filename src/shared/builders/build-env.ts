import { z } from 'zod';
import { type BaseImages, DEFAULT_BASE_IMAGES } from './auto/generate';

// The auto builder's base images from RISE_BUILD_* variables: whoever builds (the server answering
// `deployment.buildDefaults`, later its git builds) parses them here and passes the result in; the
// builders never read the environment.

/** `["a","b"]` (JSON, for arguments with spaces) or `a b` (split on whitespace). */
export function parseCommand(text: string): string[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    const parsed: unknown = JSON.parse(trimmed);
    if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every((part) => typeof part === 'string')) {
      throw new Error(`expected a JSON array of strings, got ${trimmed}`);
    }
    return parsed;
  }
  return trimmed.split(/\s+/);
}

/** A set variable, trimmed; blank counts as unset. */
const setting = z
  .string()
  .optional()
  .transform((value) => value?.trim() || undefined);

const command = setting.transform((value, context) => {
  if (value === undefined) return undefined;
  try {
    return parseCommand(value);
  } catch (error) {
    context.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});

/** RISE_BUILD_* (as src/env.ts parsed them, or raw strings) → base images; unset ones keep the defaults. */
export const buildEnvSchema = z
  .object({
    RISE_BUILD_NODE_IMAGE: setting,
    RISE_BUILD_PYTHON_IMAGE: setting,
    RISE_BUILD_GO_IMAGE: setting,
    RISE_BUILD_RUNTIME_IMAGE: setting,
    RISE_BUILD_STATIC_IMAGE: setting,
    RISE_BUILD_STATIC_ROOT: setting,
    RISE_BUILD_STATIC_COMMAND: command,
  })
  .transform(
    (variables): BaseImages => ({
      node: variables.RISE_BUILD_NODE_IMAGE ?? DEFAULT_BASE_IMAGES.node,
      python: variables.RISE_BUILD_PYTHON_IMAGE ?? DEFAULT_BASE_IMAGES.python,
      go: variables.RISE_BUILD_GO_IMAGE ?? DEFAULT_BASE_IMAGES.go,
      runtime: variables.RISE_BUILD_RUNTIME_IMAGE ?? DEFAULT_BASE_IMAGES.runtime,
      static: variables.RISE_BUILD_STATIC_IMAGE ?? DEFAULT_BASE_IMAGES.static,
      staticRoot: variables.RISE_BUILD_STATIC_ROOT ?? DEFAULT_BASE_IMAGES.staticRoot,
      staticCommand: variables.RISE_BUILD_STATIC_COMMAND ?? DEFAULT_BASE_IMAGES.staticCommand,
    }),
  );

/** The base images the RISE_BUILD_* variables of `source` name; throws naming a variable that is not valid. */
export function baseImagesFromEnv(source: Record<string, unknown>): BaseImages {
  const result = buildEnvSchema.safeParse(source);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`${String(issue?.path[0])}: ${issue?.message}`);
  }
  return result.data;
}
