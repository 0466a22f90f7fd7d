import { CONFIG_FILES } from '../config/files.ts';
import { type DocKind, FLAT_FILE_KINDS, STAGE_FOLDERS } from '../pipeline/stages.ts';

/** Where a file sits in the IDSE layout, read from its path alone. */
export type PathRole =
  | {
      role: 'doc';
      project: string;
      projectDir: string;
      session: string;
      sessionDir: string;
      kind: DocKind;
      layout: SessionLayout;
    }
  | {
      role: 'session-file';
      project: string;
      projectDir: string;
      session: string;
      sessionDir: string;
      name: string;
      /** Set when the file sits in a session folder outside `sessions/` (see `SessionLayout`). */
      misplacedDir?: string;
    }
  | { role: 'stray-doc'; project: string; projectDir: string; session: string; sessionDir: string }
  | { role: 'project-file'; project: string; projectDir: string; name: string }
  | { role: 'other' };

/**
 * Where a doc sits. `stage-folders`: `sessions/<s>/specs/spec.md`; `flat`: `sessions/<s>/spec.md`;
 * `stage-rooted`: the agency's legacy `specs/projects/<p>/sessions/<s>/spec.md`; `misplaced`: a session
 * folder directly under the project, `projects/<p>/<s>/specs/spec.md`. The last two are not canonical:
 * a canonical doc of the same kind and name wins over them.
 */
export type SessionLayout = 'stage-folders' | 'flat' | 'stage-rooted' | 'misplaced';

/** Preference among docs of one kind and name: the lower, the more canonical. */
export const LAYOUT_RANK: Readonly<Record<SessionLayout, number>> = {
  'stage-folders': 0,
  flat: 1,
  misplaced: 2,
  'stage-rooted': 3,
};

const SESSION_FILES = new Set(['session.json', '.owner', '.collaborators', 'session_state.json']);

/**
 * Reads `…/projects/<project>/sessions/<session>/<rest>` anywhere in a path, which covers the
 * `projects/` layout, the orchestrator's `.idse/projects/` and a legacy stage-rooted prefix.
 */
export function classifyPath(path: string): PathRole {
  const parts = path.split('/');
  // A `projects` folder nested inside a session's own folder is content, not a root; search leftwards.
  const root = findProjectsRoot(parts);
  if (root === -1) return { role: 'other' };
  const project = parts[root + 1]!;
  const rest = parts.slice(root + 2);
  if (rest.length === 1)
    return { role: 'project-file', project, projectDir: parts.slice(0, root + 2).join('/'), name: rest[0]! };
  if (rest[0] === 'sessions' && rest.length >= 3)
    return inSession(parts, root, project, rest[1]!, rest.slice(2), false);
  if (rest[0] !== 'sessions' && misplacedSessionAt(parts, root + 2))
    return inSession(parts, root, project, rest[0]!, rest.slice(1), true);
  return { role: 'other' };
}

/** A file of session `session`; `inner` is its path inside the session folder. */
function inSession(
  parts: string[],
  root: number,
  project: string,
  session: string,
  inner: string[],
  misplaced: boolean,
): PathRole {
  const name = inner[inner.length - 1]!;
  const legacyKind =
    !misplaced && root > 0 && inner.length === 1 ? STAGE_FOLDERS[parts[root - 1]!] : undefined;
  // Stage-rooted sessions are spread over one tree per stage (`intents/projects/p/…`,
  // `specs/projects/p/…`); without the stage folder their paths name one project and session. A
  // misplaced session folder is the same session as `sessions/<s>`, so its docs meet the canonical ones.
  const prefix = parts.slice(0, legacyKind ? root - 1 : root);
  const projectDir = [...prefix, 'projects', project].join('/');
  const sessionDir = `${projectDir}/sessions/${session}`;
  const base = { project, projectDir, session, sessionDir };
  if (!name.toLowerCase().endsWith('.md')) {
    if (!SESSION_FILES.has(name)) return { role: 'other' };
    return misplaced
      ? { role: 'session-file', ...base, name, misplacedDir: `${projectDir}/${session}` }
      : { role: 'session-file', ...base, name };
  }
  if (legacyKind && inner.length === 1)
    return { role: 'doc', ...base, kind: legacyKind, layout: 'stage-rooted' };
  if (inner.length === 1) {
    const kind = misplaced ? undefined : FLAT_FILE_KINDS[name.toLowerCase()];
    return kind ? { role: 'doc', ...base, kind, layout: 'flat' } : { role: 'stray-doc', ...base };
  }
  const folderKind = STAGE_FOLDERS[inner[0]!];
  if (!folderKind) return { role: 'stray-doc', ...base };
  const kind = folderKind === 'plan' && /^test[-_]?plan\.md$/i.test(name) ? 'test-plan' : folderKind;
  return { role: 'doc', ...base, kind, layout: misplaced ? 'misplaced' : 'stage-folders' };
}

function findProjectsRoot(parts: string[]): number {
  for (let i = 0; i < parts.length - 1; i++) {
    if (parts[i] !== 'projects') continue;
    if (parts[i + 2] === 'sessions' || i + 2 === parts.length - 1 || misplacedSessionAt(parts, i + 2))
      return i;
  }
  return -1;
}

/**
 * Whether `parts[at]` is a session folder sitting directly in a project (`projects/<p>/<s>/…`): it holds
 * a stage folder with a doc, or a session file. Other folders beside `sessions/` are none of ours.
 */
function misplacedSessionAt(parts: string[], at: number): boolean {
  const folder = parts[at];
  if (folder === undefined || folder === 'sessions') return false;
  const last = parts.length - 1;
  if (at + 1 === last) return SESSION_FILES.has(parts[last]!);
  return (
    STAGE_FOLDERS[parts[at + 1]!] !== undefined &&
    at + 2 <= last &&
    parts[last]!.toLowerCase().endsWith('.md')
  );
}

/** Files the engine reads besides markdown: session and project metadata, and the idse config. */
const METADATA_FILES = new Set([...SESSION_FILES, 'CURRENT_SESSION', 'agent_registry.json']);
const CONFIGS: ReadonlySet<string> = new Set(CONFIG_FILES);

/**
 * Whether the engine needs no more of a file than its facts: a doc, unless it may be a governance
 * doc (a blueprint session's `metadata/blueprint.md` or `metadata/meta.md`), whose text rules read.
 */
export const factsSuffice = (relPath: string): boolean =>
  classifyPath(relPath).role === 'doc' && !/(^|\/)metadata\/(blueprint|meta)\.md$/.test(relPath);

/** The files the engine reads: markdown, session and project metadata, and idse config. */
export function isWorkspaceFile(relPath: string): boolean {
  const name = relPath.slice(relPath.lastIndexOf('/') + 1);
  return name.endsWith('.md') || METADATA_FILES.has(name) || CONFIGS.has(relPath);
}
