import { lstatSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Diagnostic } from '../diagnostics.ts';
import { IdseError } from '../errors.ts';
import type { SessionModel } from '../model/model.ts';
import { primaryDoc } from '../model/progress.ts';
import { traceOf } from '../model/trace.ts';
import { headingKey } from '../pipeline/headings.ts';
import { CANONICAL_PATHS, type DocKind } from '../pipeline/stages.ts';
import type { LoadedWorkspace } from '../run/load.ts';
import { writeFilesAtomically } from '../scaffold/write.ts';

/**
 * What an IDE agent may do to a session, as plain functions over a loaded workspace. Every path is
 * confined to the session's own folder (the session boundary): reads and writes elsewhere are
 * refused with a coded error, whatever `..` or symlink they try.
 */
export function findSession(loaded: LoadedWorkspace, project: string, session: string): SessionModel {
  const found = loaded.workspace.projects
    .find((p) => p.name === project)
    ?.sessions.find((s) => s.name === session);
  if (!found) throw new IdseError('usage', `no session ${project}/${session}`);
  return found;
}

/** Longer than any path a filesystem takes; an agent sending more is refused before any work. */
const MAX_PATH = 4096;

/**
 * A path inside the session folder, resolved and checked after symlinks: for a file that exists,
 * its real path; for one about to be created, the real path of the nearest folder above it that
 * exists, so a symlinked `feedback/` cannot take a new file out of the session either.
 */
export function insideSession(root: string, session: SessionModel, path: string): string {
  const refuse = (how: string) =>
    new IdseError('outside-session', `'${shorten(path)}' ${how} session ${session.project}/${session.name}`);
  if (path.length > MAX_PATH) throw new IdseError('usage', `path is longer than ${MAX_PATH} characters`);
  const dir = resolve(root, session.dir);
  const target = resolve(dir, path);
  const rel = relative(dir, target);
  if (isAbsolute(path) || escapes(rel) || path.includes('\0')) throw refuse('is outside');
  const dirReal = realOf(dir);
  const rootReal = realOf(root);
  const real = dirReal && realOf(target);
  if (
    !dirReal ||
    !rootReal ||
    escapes(relative(rootReal, dirReal)) ||
    !real ||
    escapes(relative(dirReal, real))
  )
    throw refuse('leads outside');
  return target;
}

const escapes = (rel: string): boolean => rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel);

const shorten = (path: string): string => (path.length > 200 ? `${path.slice(0, 200)}…` : path);

/**
 * The real path of `abs`, or of the nearest entry above it that exists with the rest of the path
 * appended. Undefined when an existing entry cannot be resolved (a dangling or looping symlink).
 */
function realOf(abs: string): string | undefined {
  const rest: string[] = [];
  for (let at = abs; ; at = dirname(at)) {
    if (lstatSync(at, { throwIfNoEntry: false })) {
      try {
        return join(realpathSync(at), ...rest.reverse());
      } catch {
        return undefined;
      }
    }
    if (dirname(at) === at) return undefined;
    rest.push(basename(at));
  }
}

/** A doc's text, or one section of it (heading text, numbering and case ignored). */
export function readDoc(
  loaded: LoadedWorkspace,
  session: SessionModel,
  which: { kind?: DocKind; path?: string; section?: string },
  read: (abs: string) => string,
): { path: string; text: string } {
  const wanted = which.path === undefined ? undefined : insideSession(loaded.root, session, which.path);
  const doc = wanted
    ? session.docs.find((d) => resolve(loaded.root, d.path) === wanted)
    : which.kind
      ? primaryDoc(session, which.kind)
      : undefined;
  if (!doc)
    throw new IdseError(
      'usage',
      `no such doc in ${session.project}/${session.name}: ${shorten(which.path ?? which.kind ?? '(none given)')}`,
    );
  // Found by kind or by path, the doc is read only where it really is inside the session.
  const text = read(insideSession(loaded.root, session, relative(session.dir, doc.path)));
  if (!which.section) return { path: doc.path, text };
  const key = headingKey(which.section);
  const heading = doc.facts.headings.find((h) => h.key === key || h.key.startsWith(`${key} `));
  if (!heading) throw new IdseError('usage', `${doc.path} has no section '${which.section}'`);
  const lines = text.split('\n').slice(heading.span[0] - 1, heading.endLine);
  return { path: doc.path, text: `${lines.join('\n').trimEnd()}\n` };
}

export const sessionDiagnostics = (loaded: LoadedWorkspace, session: SessionModel): Diagnostic[] =>
  loaded.diagnostics.filter((d) => d.project === session.project && d.session === session.name);

/** Tick a task's box in its tasks doc. Only the `[ ]` on the task's own line changes. */
export function markTaskDone(
  loaded: LoadedWorkspace,
  session: SessionModel,
  task: string,
  read: (abs: string) => string,
): { file: string; line: number; label: string } {
  const key = task.replace(/^task\s+/i, '').replace(/^T0*(\d)/i, 'T$1');
  const entry = traceOf(session, loaded.config)
    .tasks.get(key)
    ?.find((t) => t.task.parent === undefined);
  if (!entry) throw new IdseError('usage', `no task '${task}' in ${session.project}/${session.name}`);
  const abs = insideSession(loaded.root, session, relative(session.dir, entry.doc.path));
  const lines = read(abs).split('\n');
  const index = entry.task.span[0] - 1;
  const line = lines[index] ?? '';
  if (!/\[[ xX]\]/.test(line))
    throw new IdseError('write-conflict', `${entry.doc.path}:${index + 1} changed since it was read`);
  lines[index] = line.replace(/\[[ ]\]/, '[x]');
  writeFilesAtomically(loaded.root, new Map([[entry.doc.path, lines.join('\n')]]), { force: true });
  return { file: entry.doc.path, line: index + 1, label: entry.task.label ?? key };
}

/**
 * Append a feedback entry that cites what it is about (Article IX). Cited tasks and requirements must
 * exist, so feedback always links back into the pipeline.
 */
export function appendFeedback(
  loaded: LoadedWorkspace,
  session: SessionModel,
  entry: { text: string; tasks?: string[]; requirements?: string[]; date: string },
  read: (abs: string) => string | undefined,
): { file: string } {
  const trace = traceOf(session, loaded.config);
  const tasks = entry.tasks ?? [];
  const requirements = entry.requirements ?? [];
  if (tasks.length + requirements.length === 0) {
    throw new IdseError('usage', 'a feedback entry cites at least one task or requirement');
  }
  for (const t of tasks) {
    if (!trace.tasks.has(t.replace(/^task\s+/i, '')))
      throw new IdseError('usage', `no task '${t}' in this session`);
  }
  for (const r of requirements) {
    if (!trace.requirements.has(r.replace(/-0*(\d)/, '-$1')))
      throw new IdseError('usage', `no requirement '${r}' in this session's spec`);
  }
  if (/\n[^\S\n]*#/.test(entry.text))
    throw new IdseError('usage', 'a feedback entry is text, not new headings');
  const path = primaryDoc(session, 'feedback')?.path ?? `${session.dir}/${CANONICAL_PATHS.feedback}`;
  insideSession(loaded.root, session, relative(session.dir, path));
  const before = read(join(loaded.root, path)) ?? `# Feedback: ${session.name}\n`;
  const cites = [...tasks.map((t) => (/^task/i.test(t) ? t : `Task ${t}`)), ...requirements].join(' / ');
  const line = `- ${entry.date} — ${cites}: ${entry.text.replace(/\s+/g, ' ').trim()}`;
  const after = `${before.trimEnd()}\n${/(^|\n)## Agent feedback\n/.test(before) ? '' : '\n## Agent feedback\n\n'}${line}\n`;
  writeFilesAtomically(loaded.root, new Map([[path, after]]), { force: true });
  return { file: path };
}
