/**
 * File selection: which paths of a tree the engine reads (workspace files, less the config's `ignore`
 * globs), and which sessions a set of changed paths touches. The App selects from GitHub trees, the
 * sync client from its commits.
 */
import picomatch from 'picomatch';
import { classifyPath, isWorkspaceFile } from '../model/layout.ts';
import type { Config } from './schema.ts';

/** Sessions and projects a change touched, by folder. */
export interface Touched {
  sessions: Set<string>;
  /** Projects touched through a project file (CURRENT_SESSION…): loaded whole. */
  projects: Set<string>;
}

/**
 * The sessions a set of changed paths touches. Cross-doc rules (traceability, required docs) need
 * every doc of a session, so a session is the unit that is loaded, never a single file.
 */
export function touchedBy(paths: Iterable<string>): Touched {
  const touched: Touched = { sessions: new Set(), projects: new Set() };
  for (const path of paths) {
    const role = classifyPath(path);
    if (role.role === 'doc' || role.role === 'stray-doc' || role.role === 'session-file') {
      touched.sessions.add(role.sessionDir);
    } else if (role.role === 'project-file') {
      touched.projects.add(role.projectDir);
    }
  }
  return touched;
}

export const touchesNothing = (t: Touched): boolean => t.sessions.size === 0 && t.projects.size === 0;

/**
 * Files of the tree the engine reads, limited to the touched sessions (and the project files of
 * their projects, which say which session is current) unless `scope` is `all`.
 */
export function selectFiles<T extends { path: string }>(
  tree: readonly T[],
  config: Config,
  scope: Touched | 'all',
): T[] {
  const ignored = ignoreMatcher(config.ignore);
  const projectsOfSessions = new Set<string>();
  if (scope !== 'all') {
    for (const dir of scope.sessions) projectsOfSessions.add(dir.slice(0, dir.lastIndexOf('/sessions/')));
  }
  return tree.filter((entry) => {
    if (!isWorkspaceFile(entry.path) || ignored(entry.path)) return false;
    const role = classifyPath(entry.path);
    if (role.role === 'other') return false;
    if (scope === 'all') return true;
    if (scope.projects.has(role.projectDir)) return true;
    if (role.role === 'project-file') return projectsOfSessions.has(role.projectDir);
    return scope.sessions.has(role.sessionDir);
  });
}

/** True when the tree holds anything the engine would read: docs or session files. */
export function hasWorkspace(tree: readonly { path: string }[], config: Config): boolean {
  return selectFiles(tree, config, 'all').some((e) => classifyPath(e.path).role !== 'project-file');
}

/** `ignore` globs against one path as given: the disk walk asks folder by folder on its way down. */
export const globMatcher = (globs: readonly string[]): ((path: string) => boolean) =>
  globs.length === 0 ? () => false : picomatch([...globs], { dot: true });

/** `ignore` globs match a path or any folder above it, as the disk walk skips ignored folders. */
export function ignoreMatcher(globs: readonly string[]): (path: string) => boolean {
  if (globs.length === 0) return () => false;
  const match = globMatcher(globs);
  return (path) => {
    const parts = path.split('/');
    for (let i = 1; i <= parts.length; i++) if (match(parts.slice(0, i).join('/'))) return true;
    return false;
  };
}
