/**
 * Which files of a workspace belong to a sync of one project: the project's docs and session files,
 * and the workspace's config file (the gateway validates with it). The CLI sends only these, and the
 * gateway refuses anything else, so both ends agree by construction.
 */
import { CONFIG_FILES } from '../config/files.ts';
import { classifyPath, isWorkspaceFile } from '../model/layout.ts';

const CONFIG_PATHS: ReadonlySet<string> = new Set(CONFIG_FILES);

export interface ScopeRejection {
  code: 'not-a-workspace-file' | 'outside-project';
  message: string;
}

/** Why `path` is not part of a sync of `project`, or undefined when it is. */
export function outOfScope(path: string, project: string): ScopeRejection | undefined {
  if (!isWorkspaceFile(path)) {
    return { code: 'not-a-workspace-file', message: 'not an IDSE doc, session file or config file' };
  }
  if (CONFIG_PATHS.has(path)) return undefined;
  const role = classifyPath(path);
  if (role.role !== 'other' && role.project === project) return undefined;
  return { code: 'outside-project', message: `not a file of project ${project}` };
}

export const isConfigFile = (path: string): boolean => CONFIG_PATHS.has(path);
