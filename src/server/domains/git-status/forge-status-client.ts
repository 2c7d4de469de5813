import type { CommitState } from './commit-state';

/** One JSON request to a forge's API; the answer's JSON body (or null). Throws ForgeHttpError. */
export type ForgeHttp = (request: {
  method: 'POST' | 'PATCH' | 'PUT';
  url: string;
  headers: Record<string, string>;
  body: unknown;
}) => Promise<unknown>;

/** A forge that answered with an error status; the message never holds the token. */
export class ForgeHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ForgeHttpError';
  }
}

/** The outbound guard refused the forge's address: permanent until an administrator allows it. */
export class ForgeRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ForgeRefusedError';
  }
}

/** The repository on its forge: the API base, its path (`owner/repo`, GitLab `group/sub/repo`) and the token. */
export type ForgeRepository = { apiBase: string; path: string; token: string };

export type CommitStatus = {
  sha: string;
  state: CommitState;
  /** The deployment's URL, once it serves (success); else null. */
  targetUrl: string | null;
  description: string;
  /** Names Rise's status among the commit's others: `rise/<project>`. */
  context: string;
};

/** What Rise does on a forge: set a commit's status, keep one comment on a pull request. */
export interface ForgeStatusClient {
  postStatus(repository: ForgeRepository, status: CommitStatus): Promise<void>;
  /** Comments on pull request `number` (GitLab: merge request iid); returns the comment's id. */
  createComment(repository: ForgeRepository, number: number, body: string): Promise<string>;
  /** Replaces the text of the comment `commentId`; a ForgeHttpError 404 when it is gone. */
  updateComment(repository: ForgeRepository, number: number, commentId: string, body: string): Promise<void>;
}

/** A forge's entry: its status client and where its API is when the source names none. */
export type ForgeStatusEntry = {
  client(http: ForgeHttp): ForgeStatusClient;
  /** The API base for a repository on `origin` (`https://host[:port]`, from the repository URL). */
  defaultApiBase(origin: string): string;
};

/** The `id` of a created comment or note, as a string. */
export function commentIdOf(answer: unknown): string {
  const id = (answer as { id?: unknown } | null)?.id;
  if (typeof id !== 'number' && typeof id !== 'string')
    throw new Error('The forge created the comment but did not say its id.');
  return String(id);
}

/** `owner` and `name`: the last two segments of the repository path. */
export function ownerAndName(path: string): [string, string] {
  const segments = path.split('/').filter(Boolean);
  const name = segments.at(-1);
  const owner = segments.at(-2);
  if (!owner || !name)
    throw new Error(`The repository path '${path}' does not name an owner and a repository.`);
  return [owner, name];
}

export const segment = (value: string) => encodeURIComponent(value);
