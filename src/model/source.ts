/**
 * A file as a source (disk, git tree, GitHub) hands it to the engine. Reading can fail per file;
 * the failure travels as data so the engine reports it as a diagnostic and goes on with the rest.
 */
export interface SourceFile {
  /** Workspace-relative POSIX path. */
  path: string;
  /** Size in bytes as the source saw it (also when content was not read). */
  size: number;
  /** Absent when the file could not or should not be read; `problem` says why. */
  content?: Uint8Array;
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
