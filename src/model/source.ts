/**
 * A file as a source (disk, git tree, GitHub) hands it to the engine. Reading can fail per file;
 * the failure travels as data so the engine reports it as a diagnostic and goes on with the rest.
 */
export interface SourceFile {
  /** Workspace-relative POSIX path. */
  path: string;
  /** Size in bytes as the source saw it (also when content was not read). */
  size: number;
  /** Absent when the file could not or should not be read (`problem` says why), or need not be (`oid`). */
  content?: Uint8Array;
  /**
   * The git blob id of the content, when the source knows it without hashing (a git tree). A doc
   * may then come without content: its facts are keyed by this id, and the face that gathered it
   * must have put them in the facts cache (or read it after all).
   */
  oid?: string;
  problem?: SourceProblem;
}

export type SourceProblem =
  | { kind: 'unreadable'; detail: string }
  | { kind: 'too-large'; limit: number }
  | { kind: 'symlink-loop'; detail: string }
  | { kind: 'not-regular'; detail: string }
  /** A symlink whose target is outside the workspace root: never read. */
  | { kind: 'outside-workspace' };

/** Files larger than this are not read at all; a diagnostic says so. */
export const DEFAULT_MAX_FILE_BYTES = 5 * 1024 * 1024;
