import type { Config } from '../config/schema.ts';
import { extractFacts } from '../pipeline/extract.ts';
import type { DocFacts } from '../pipeline/facts.ts';
import {
  breachedLimit,
  isSmall,
  type LimitBreach,
  measureDoc,
  type ParseLimits,
} from '../pipeline/limits.ts';
import { gitBlobId } from './blob-id.ts';
import { decodeSource } from './decode.ts';
import {
  type DocInput,
  type DocRef,
  type FactsCache,
  type FactsResolver,
  type FactsSettings,
  factsKeyOf,
  factsSettingsOf,
  isProblem,
  tooComplex,
} from './facts-key.ts';
import { classifyPath, LAYOUT_RANK, type PathRole } from './layout.ts';
import type { DocModel, FileProblem, ProjectModel, SessionModel, Workspace } from './model.ts';
import type { SourceFile } from './source.ts';

const EMPTY = new Uint8Array();

/** A doc's bytes; none when its source gave only its blob id (a file with neither is empty). */
const bytesOf = (file: SourceFile): Uint8Array | undefined =>
  file.content ?? (file.oid === undefined ? EMPTY : undefined);

/** A face handed the engine a doc without bytes and without facts in the cache: its bug, never a pass. */
const unread = (path: string, why: string): Error =>
  new Error(`${path} came without its bytes (only its blob id) and ${why}: the face must read it`);

/**
 * A doc's text and whether it is small (see isSmall), or why it is not parsed: not text, or past a
 * limit. One linear scan decides, before any parsing.
 */
export function screenDoc(
  doc: DocInput,
  settings: FactsSettings,
): { text: string; small: boolean } | FileProblem {
  const decoded = decodeSource(
    { path: doc.path, size: doc.bytes.byteLength, content: doc.bytes },
    settings.maxBytes,
  );
  if (!('text' in decoded)) return decoded;
  const measure = measureDoc(decoded.text);
  const breach = breachedLimit(measure, settings.limits);
  return breach ? tooComplex(doc, breach) : { text: decoded.text, small: isSmall(measure) };
}

/**
 * Decode, check against the limits and extract one doc. Pure; runs in a worker, or in the main
 * thread for docs the scan found small (see FactsPool).
 */
export function computeFacts(doc: DocInput, settings: FactsSettings): DocFacts | FileProblem {
  const screened = screenDoc(doc, settings);
  return 'text' in screened ? extractWithin(doc, screened.text, settings) : screened;
}

/** Facts of a doc's text, or a too-complex problem when they hold more than `limits.maxItems`. */
export function extractWithin(doc: DocInput, text: string, settings: FactsSettings): DocFacts | FileProblem {
  const facts = extractFacts(text, settings.options);
  const items =
    facts.headings.length +
    facts.ids.length +
    facts.tasks.length +
    facts.markers.length +
    facts.links.length +
    facts.taskRefs.length +
    facts.suppressions.length +
    facts.secrets.length +
    facts.guardrails.length +
    facts.designRefs.length;
  const max = settings.limits.maxItems;
  return items > max ? tooComplex(doc, { limit: 'maxItems', actual: items, max }) : facts;
}

/** The docs among the source files whose facts the workspace needs. */
export function docInputs(files: readonly SourceFile[], config: Config): DocInput[] {
  const settings = factsSettingsOf(config);
  return files.flatMap((file) =>
    !file.problem && file.content && classifyPath(file.path).role === 'doc'
      ? [{ path: file.path, key: factsKeyOf(file, settings), bytes: file.content }]
      : [],
  );
}

/**
 * Facts from the cache, else computed here and remembered. Here means this thread, with the limits
 * checked but no time budget: faces that read untrusted docs hand the engine a FactsPool's resolver.
 */
export function cachedFacts(config: Config, cache?: FactsCache): FactsResolver {
  const settings = factsSettingsOf(config);
  return (doc) => {
    const hit = cache?.get(doc.key);
    if (hit) return hit;
    if (!doc.bytes) throw unread(doc.path, 'no facts are cached for it');
    const facts = computeFacts({ ...doc, bytes: doc.bytes }, settings);
    if (!isProblem(facts)) cache?.set(doc.key, facts);
    return facts;
  };
}

/** Records a file of a session folder that sits directly under its project. */
function noteMisplaced(session: SessionModel, folder: string, path: string): void {
  const files = session.misplaced.get(folder);
  if (files) files.push(path);
  else session.misplaced.set(folder, [path]);
}

/**
 * Decides which docs a session is validated on. Pointer stubs are set aside; of docs with the same kind
 * and file name in several places (a canonical doc, its legacy stage-rooted copy, a copy in a misplaced
 * folder) the most canonical one stays and the others become recorded duplicates.
 */
function settleDocs(session: SessionModel): void {
  const kept: DocModel[] = [];
  const best = new Map<string, DocModel>();
  const ranked = [...session.docs].sort((a, b) => LAYOUT_RANK[a.layout] - LAYOUT_RANK[b.layout]);
  for (const doc of ranked) {
    if (doc.facts.pointer) {
      session.pointers.push(doc);
      continue;
    }
    const key = `${doc.kind}\0${doc.path.slice(doc.path.lastIndexOf('/') + 1).toLowerCase()}`;
    const canonical = best.get(key);
    if (canonical && canonical.layout !== doc.layout) {
      session.duplicates.push({ copy: doc, canonical });
      continue;
    }
    if (!canonical) best.set(key, doc);
    kept.push(doc);
  }
  // Keep the order the source gave (sorted paths), which rules and reports rely on.
  const order = new Map(session.docs.map((d, i) => [d, i]));
  session.docs = kept.sort((a, b) => order.get(a)! - order.get(b)!);
  session.layout = session.docs.reduce<SessionModel['layout']>(
    (layout, d) => (LAYOUT_RANK[d.layout] < LAYOUT_RANK[layout] ? d.layout : layout),
    session.docs[0]?.layout ?? 'stage-folders',
  );
}

/** Project-level files idse reads; other files beside a project folder are none of its business. */
const PROJECT_FILES = new Set(['CURRENT_SESSION', 'session_state.json', 'agent_registry.json']);

const concernsIdse = (role: PathRole): boolean =>
  role.role !== 'project-file' || PROJECT_FILES.has(role.name);

/**
 * A blueprint session's `metadata/blueprint.md` and the `metadata/meta.md` beside it (where upstream
 * records promotions): the docs whose text, not just facts, the blueprint rules read. A face that
 * skips reading docs whose facts it has must still read these.
 */
export function governanceDocs(paths: readonly string[]): Set<string> {
  const blueprints = paths.filter((p) => /(^|\/)metadata\/blueprint\.md$/.test(p));
  return new Set(blueprints.flatMap((p) => [p, p.replace(/blueprint\.md$/, 'meta.md')]));
}

/** The text of a file read whole (session data, governance docs): facts alone do not do for these. */
function textOf(file: SourceFile, maxBytes: number): ReturnType<typeof decodeSource> {
  if (!bytesOf(file)) throw unread(file.path, 'its text is read');
  return decodeSource(file, maxBytes);
}

/**
 * Turn source files into the workspace model: projects, sessions, docs with their facts. `paths`:
 * every path of the workspace when the files are part of it (links may lead outside them).
 */
export function buildWorkspace(
  files: readonly SourceFile[],
  config: Config,
  resolve: FactsResolver,
  paths: ReadonlySet<string> = new Set(files.map((f) => f.path)),
): Workspace {
  const settings = factsSettingsOf(config);
  const projects = new Map<string, ProjectModel>();
  const docs = new Map<string, DocModel>();
  const problems: FileProblem[] = [];

  const projectOf = (name: string, dir: string): ProjectModel => {
    let project = projects.get(dir);
    if (!project) {
      project = { name, dir, sessions: [], dataFiles: new Map() };
      projects.set(dir, project);
    }
    return project;
  };
  const sessionOf = (project: ProjectModel, name: string, dir: string): SessionModel => {
    let session = project.sessions.find((s) => s.dir === dir);
    if (!session) {
      session = {
        project: project.name,
        name,
        dir,
        layout: 'stage-folders',
        docs: [],
        strayDocs: [],
        dataFiles: new Map(),
        duplicates: [],
        pointers: [],
        misplaced: new Map(),
      };
      project.sessions.push(session);
    }
    return session;
  };

  const governance = governanceDocs(files.map((f) => f.path));
  for (const file of files) {
    const role = classifyPath(file.path);
    // A file the source could not read is reported wherever it is: the walk met it, and the user
    // should know something went unchecked (a symlink loop is a folder, not a doc, for instance).
    if (file.problem && concernsIdse(role)) {
      problems.push({ path: file.path, problem: file.problem });
      continue;
    }
    if (role.role === 'other') continue;
    if (role.role === 'doc') {
      const hash = factsKeyOf(file, settings);
      const facts = resolve({ path: file.path, key: hash, bytes: bytesOf(file) });
      if (isProblem(facts)) {
        problems.push(facts);
        continue;
      }
      const session = sessionOf(projectOf(role.project, role.projectDir), role.session, role.sessionDir);
      const doc: DocModel = { path: file.path, kind: role.kind, facts, layout: role.layout, hash };
      if (role.layout === 'misplaced')
        noteMisplaced(session, `${role.projectDir}/${role.session}`, file.path);
      session.docs.push(doc);
      docs.set(file.path, doc);
      if (governance.has(file.path)) {
        // Blueprint claims are read from the text itself (src/blueprint/), which facts do not keep.
        const decoded = textOf(file, config.maxFileBytes);
        if ('text' in decoded)
          session.dataFiles.set(file.path.slice(file.path.lastIndexOf('/') + 1), {
            path: file.path,
            text: decoded.text,
          });
      }
      continue;
    }
    const decoded = textOf(file, config.maxFileBytes);
    if (!('text' in decoded)) {
      if (concernsIdse(role)) problems.push(decoded);
      continue;
    }
    const project = projectOf(role.project, role.projectDir);
    if (role.role === 'project-file') {
      project.dataFiles.set(role.name, { path: file.path, text: decoded.text });
      continue;
    }
    const session = sessionOf(project, role.session, role.sessionDir);
    if (role.role === 'session-file') {
      // A canonical session file wins over one left in a misplaced folder.
      if (role.misplacedDir) noteMisplaced(session, role.misplacedDir, file.path);
      if (!role.misplacedDir || !session.dataFiles.has(role.name))
        session.dataFiles.set(role.name, { path: file.path, text: decoded.text });
    } else session.strayDocs.push(file.path);
  }
  for (const project of projects.values()) for (const session of project.sessions) settleDocs(session);

  // A folder named `projects` with no sessions and no IDSE state files is somebody else's folder.
  const real = [...projects.values()].filter(
    (p) =>
      p.sessions.length > 0 || p.dataFiles.has('CURRENT_SESSION') || p.dataFiles.has('session_state.json'),
  );
  for (const p of real) p.sessions.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  real.sort((a, b) => (a.dir < b.dir ? -1 : 1));
  return { projects: real, docs, problems, paths };
}
