import { createHash } from 'node:crypto';
import type { Config } from '../config/schema.ts';
import { type ExtractOptions, extractFacts } from '../pipeline/extract.ts';
import type { DocFacts } from '../pipeline/facts.ts';
import { decodeSource } from './decode.ts';
import { classifyPath } from './layout.ts';
import type { DocModel, FileProblem, ProjectModel, SessionModel, Workspace } from './model.ts';
import type { SourceFile } from './source.ts';

/** Facts by content hash; the CLI keeps one on disk so unchanged docs are not parsed again. */
export interface FactsCache {
  get(key: string): DocFacts | undefined;
  set(key: string, facts: DocFacts): void;
}

/** Bump when extraction changes what it produces, so old cache entries are not trusted. */
export const FACTS_VERSION = 2;

export const extractOptionsOf = (config: Config): ExtractOptions => ({
  ids: { requirements: config.ids.requirements, tests: config.ids.tests },
});

/** Key of a doc's facts: its bytes plus everything extraction depends on. */
export function factsKey(text: string, options: ExtractOptions): string {
  return createHash('sha1')
    .update(`${FACTS_VERSION}\0${options.ids.requirements.join(',')}\0${options.ids.tests.join(',')}\0`)
    .update(text)
    .digest('base64url');
}

/** Turn source files into the workspace model: projects, sessions, docs with their facts. */
export function buildWorkspace(files: readonly SourceFile[], config: Config, cache?: FactsCache): Workspace {
  const options = extractOptionsOf(config);
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
      };
      project.sessions.push(session);
    }
    return session;
  };

  for (const file of files) {
    const role = classifyPath(file.path);
    // A file the source could not read is reported wherever it is: the walk met it, and the user
    // should know something went unchecked (a symlink loop is a folder, not a doc, for instance).
    if (file.problem && role.role !== 'project-file') {
      problems.push({ path: file.path, problem: file.problem });
      continue;
    }
    if (role.role === 'other') continue;
    const decoded = decodeSource(file, config.maxFileBytes);
    if (!('text' in decoded)) {
      if (role.role !== 'project-file') problems.push(decoded);
      continue;
    }
    const project = projectOf(role.project, role.projectDir);
    if (role.role === 'project-file') {
      project.dataFiles.set(role.name, { path: file.path, text: decoded.text });
      continue;
    }
    const session = sessionOf(project, role.session, role.sessionDir);
    if (role.role === 'session-file')
      session.dataFiles.set(role.name, { path: file.path, text: decoded.text });
    else if (role.role === 'stray-doc') session.strayDocs.push(file.path);
    else {
      const key = factsKey(decoded.text, options);
      let facts = cache?.get(key);
      if (!facts) {
        facts = extractFacts(decoded.text, options);
        cache?.set(key, facts);
      }
      const doc: DocModel = { path: file.path, kind: role.kind, facts };
      session.layout = role.layout;
      session.docs.push(doc);
      docs.set(file.path, doc);
    }
  }

  // A folder named `projects` with no sessions and no IDSE state files is somebody else's folder.
  const real = [...projects.values()].filter(
    (p) =>
      p.sessions.length > 0 || p.dataFiles.has('CURRENT_SESSION') || p.dataFiles.has('session_state.json'),
  );
  for (const p of real) p.sessions.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  real.sort((a, b) => (a.dir < b.dir ? -1 : 1));
  return { projects: real, docs, problems, paths: new Set(files.map((f) => f.path)) };
}
