import { z } from 'zod';
import { normalizeRegistryHost, RegistryHostError } from './image-reference';

/** `host[:port]` of an image registry, normalized as image references are matched against it. */
export const registryLoginHost = z
  .string()
  .max(300, { message: 'Registry hosts are at most 300 characters.' })
  .transform((value, context) => {
    try {
      return normalizeRegistryHost(value);
    } catch (error) {
      if (!(error instanceof RegistryHostError)) throw error;
      context.addIssue({ code: 'custom', message: error.message });
      return z.NEVER;
    }
  });
