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
    }
  | { role: 'stray-doc'; project: string; projectDir: string; session: string; sessionDir: string }
  | { role: 'project-file'; project: string; projectDir: string; name: string }
  | { role: 'other' };

/** `stage-folders`: `specs/spec.md`; `flat`: `spec.md`; `stage-rooted`: the agency's legacy `specs/projects/…`. */
export type SessionLayout = 'stage-folders' | 'flat' | 'stage-rooted';

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
  if (rest[0] !== 'sessions' || rest.length < 3) return { role: 'other' };
  const session = rest[1]!;
  const inner = rest.slice(2);
  const name = inner[inner.length - 1]!;
  const legacyKind = root > 0 && inner.length === 1 ? STAGE_FOLDERS[parts[root - 1]!] : undefined;
  // Stage-rooted sessions are spread over one tree per stage (`intents/projects/p/…`,
  // `specs/projects/p/…`); without the stage folder their paths name one project and session.
  const prefix = parts.slice(0, legacyKind ? root - 1 : root);
  const projectDir = [...prefix, 'projects', project].join('/');
  const sessionDir = `${projectDir}/sessions/${session}`;
  const base = { project, projectDir, session, sessionDir };
  if (!name.toLowerCase().endsWith('.md')) {
    return SESSION_FILES.has(name) ? { role: 'session-file', ...base, name } : { role: 'other' };
  }
  if (legacyKind && inner.length === 1)
    return { role: 'doc', ...base, kind: legacyKind, layout: 'stage-rooted' };
  if (inner.length === 1) {
    const kind = FLAT_FILE_KINDS[name.toLowerCase()];
    return kind ? { role: 'doc', ...base, kind, layout: 'flat' } : { role: 'stray-doc', ...base };
  }
  const folderKind = STAGE_FOLDERS[inner[0]!];
  if (!folderKind) return { role: 'stray-doc', ...base };
  const kind = folderKind === 'plan' && /^test[-_]?plan\.md$/i.test(name) ? 'test-plan' : folderKind;
  return { role: 'doc', ...base, kind, layout: 'stage-folders' };
}

function findProjectsRoot(parts: string[]): number {
  for (let i = 0; i < parts.length - 1; i++) {
    if (parts[i] === 'projects' && (parts[i + 2] === 'sessions' || i + 2 === parts.length - 1)) return i;
  }
  return -1;
}
