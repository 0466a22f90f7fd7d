/**
 * Which paths sync may carry. Both ends check them: the gateway before storing a pushed file or a
 * published doc, the CLI before writing a pulled one into the working tree. A path is a workspace-
 * relative POSIX path that stays inside the workspace and out of git's own folder.
 */

/** Where `idse sync` keeps its state; never something a pull may write. */
export const SYNC_STATE_PATH = '.idse/sync-state.json';

const MAX_PATH_LENGTH = 4096;

/** Why `path` is not a safe workspace path, or undefined when it is. */
export function pathProblem(path: string): string | undefined {
  if (path === '') return 'the path is empty';
  if (path.length > MAX_PATH_LENGTH) return `the path is longer than ${MAX_PATH_LENGTH} characters`;
  // An unpaired surrogate (`\ud800`, from a JSON escape) names no file on any disk and no database stores it.
  if (!path.isWellFormed()) return 'the path is not valid Unicode (an unpaired surrogate)';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this rejects.
  if (/[\u0000-\u001f\u007f]/.test(path)) return 'the path contains a NUL or control character';
  if (path.includes('\\')) return 'the path contains a backslash (use / between folders)';
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return 'the path is absolute';
  const segments = path.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..')) {
    return "the path has an empty, '.' or '..' segment";
  }
  if (segments.some((s) => s.toLowerCase() === '.git')) return 'the path is inside .git';
  if (path === SYNC_STATE_PATH) return `${SYNC_STATE_PATH} is idse's own sync state`;
  return undefined;
}
