import { createHash } from 'node:crypto';
import { AppError } from '@/server/errors';
import type { EngineDeps, ImageProject } from '../engine-deps';

type Images = EngineDeps['images'];

/**
 * The image resolver (EngineDeps['images']) in memory, for unit tests: every image resolves to a
 * digest derived from its name; `refuse` makes both calls answer FORBIDDEN for an image, as the real
 * resolver does for an image the project may not run (covered by the image-resolver integration tests).
 */
export class FakeImages implements Images {
  readonly resolved: string[] = [];
  private readonly refused = new Map<string, string>();

  static digestOf(image: string): string {
    return `sha256:${createHash('sha256').update(image).digest('hex')}`;
  }

  /** What `pinned` answers for `image` at the digest `resolve` gives it. */
  static pinnedReference(image: string): string {
    return `${image.replace(/:[^/:]+$/, '')}@${FakeImages.digestOf(image)}`;
  }

  refuse(image: string, reason: string): void {
    this.refused.set(image, reason);
  }

  async resolve(image: string, project: ImageProject): Promise<{ digest: string }> {
    this.check(image, project);
    this.resolved.push(image);
    return { digest: FakeImages.digestOf(image) };
  }

  async pinned(image: string, digest: string, project: ImageProject): Promise<string> {
    this.check(image, project);
    return `${image.replace(/:[^/:]+$/, '')}@${digest}`;
  }

  private check(image: string, project: ImageProject): void {
    const reason = this.refused.get(image);
    if (reason) throw new AppError('FORBIDDEN', `Project '${project.name}' may not run ${image}: ${reason}`);
  }
}
