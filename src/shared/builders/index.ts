export { UnknownProjectError } from './auto/detect';
export { type BaseImages, DEFAULT_BASE_IMAGES } from './auto/generate';
export * from './backends';
export type { BuilderModule, BuilderOptions } from './builder-module';
export { DEFAULT_BUILDPACKS_BUILDER } from './buildpacks';
export * from './registry';
export * from './types';
