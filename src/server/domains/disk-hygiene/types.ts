/** What disk hygiene needs of the container engine; src/server/docker/disk-engine.ts implements it with Docker. */
export type EngineImage = {
  id: string;
  repoTags: string[];
  repoDigests: string[];
  labels: Record<string, string>;
};

export type ImageEngine = {
  /** The ids of the images every container (running or not) was created from. */
  imageIdsInUse: () => Promise<Set<string>>;
  /** The image a name (`repo:tag`, `repo@digest`, id) refers to; null when the engine has none. */
  inspectImage: (name: string) => Promise<EngineImage | null>;
  /** Removes one name of an image (the image itself with its last name); never forced. */
  removeImage: (name: string) => Promise<void>;
};

/** `docker system df`, the parts the disk card shows. */
export type EngineDiskUsage = {
  Images?:
    | {
        Size?: number;
        Labels?: Record<string, string> | null;
        RepoTags?: string[] | null;
        RepoDigests?: string[] | null;
      }[]
    | null;
  Volumes?: { UsageData?: { Size?: number } | null }[] | null;
  Containers?: { SizeRw?: number }[] | null;
  BuildCache?: { Size?: number }[] | null;
};
