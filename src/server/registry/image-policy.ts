import { AppError, badRequest } from '@/server/errors';
import { PROJECT_IMAGE_LABEL } from '@/shared/builders/types';
import {
  type ImageId,
  type ImageReference,
  ImageReferenceError,
  parseImageReferenceOrId,
  splitHostPort,
} from '@/shared/registry/image-reference';
import { builtinRepositoryOf } from './config';

/** The project a deployment runs for; images belong to projects. */
export type ImageOwner = { id: string; name: string };

/**
 * Where an image comes from, for one project:
 * - `rise-registry`: the project's own repository in Rise's registry (pulled with its own credentials);
 * - `external`: any other registry (reached through the outbound guard);
 * - `local`: no registry host, so the local engine's image if there is one (it must carry the project's
 *   label), else Docker Hub; an image id is always local.
 */
export type ImageSource =
  | { kind: 'rise-registry'; reference: ImageReference }
  | { kind: 'external'; reference: ImageReference }
  | { kind: 'local'; reference: ImageReference | ImageId };

const sameHost = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** Parses `image` and says where it comes from; refuses a malformed reference or another project's repository. */
export function imageSourceFor(image: string, project: ImageOwner, riseRegistryHost: string): ImageSource {
  let parsed: ImageReference | ImageId;
  try {
    parsed = parseImageReferenceOrId(image);
  } catch (error) {
    if (error instanceof ImageReferenceError) throw badRequest(error.message, { part: error.part });
    throw error;
  }
  if ('id' in parsed || parsed.registry === null) return { kind: 'local', reference: parsed };
  if (!sameHost(parsed.registry, riseRegistryHost)) return { kind: 'external', reference: parsed };
  const own = builtinRepositoryOf(project);
  if (parsed.repository !== own)
    throw new AppError(
      'FORBIDDEN',
      `Image ${image} is in repository '${parsed.repository}' of Rise's registry; project '${project.name}' may only run images from its own repository ${riseRegistryHost}/${own}.`,
    );
  return { kind: 'rise-registry', reference: parsed };
}

/** Refuses a local image that was not built for `project` (its PROJECT_IMAGE_LABEL names another, or none). */
export function assertLocalImageOwned(
  image: string,
  labels: Record<string, string> | null | undefined,
  project: ImageOwner,
): void {
  const owner = labels?.[PROJECT_IMAGE_LABEL];
  if (owner === project.name) return;
  throw new AppError(
    'FORBIDDEN',
    owner
      ? `Local image ${image} was built for another project; project '${project.name}' may only run local images labelled ${PROJECT_IMAGE_LABEL}=${project.name}.`
      : `Local image ${image} has no ${PROJECT_IMAGE_LABEL} label; project '${project.name}' may only run local images built for it (\`rise d c\` labels them, or build with --label ${PROJECT_IMAGE_LABEL}=${project.name}), or push it to a registry.`,
  );
}

/** The host and port a registry host of a reference is reached at (HTTPS by default). */
export function registryEndpoint(registry: string): { host: string; port: number } {
  const { host, port } = splitHostPort(registry === 'docker.io' ? 'registry-1.docker.io' : registry);
  const loopback = /^(localhost|127\.\d+\.\d+\.\d+|::1)$/.test(host);
  return { host, port: port ?? (loopback ? 80 : 443) };
}
