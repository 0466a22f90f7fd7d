import type { Range } from '../diagnostics.ts';
import type { DocFacts } from '../pipeline/facts.ts';
import type { LimitBreach } from '../pipeline/limits.ts';
import type { DocKind } from '../pipeline/stages.ts';
import type { SessionLayout } from './layout.ts';
import type { SourceProblem } from './source.ts';

export interface DocModel {
  path: string;
  kind: DocKind;
  facts: DocFacts;
  layout: SessionLayout;
  /** The facts key (from the git blob id): two docs with the same key have the same content. */
  hash: string;
}

/** A non-canonical copy of a doc the session also has at its canonical place; the copy is not validated. */
export interface DuplicateDoc {
  copy: DocModel;
  canonical: DocModel;
}

/** A small non-markdown file of a session or project (`session.json`, `CURRENT_SESSION`, …). */
export interface DataFile {
  path: string;
  text: string;
}

export interface SessionModel {
  project: string;
  name: string;
  dir: string;
  layout: SessionLayout;
  docs: DocModel[];
  /** `.md` files in places no stage claims. */
  strayDocs: string[];
  dataFiles: Map<string, DataFile>;
  /** Legacy or misplaced copies set aside for a canonical doc of the same kind and name. */
  duplicates: DuplicateDoc[];
  /** Docs that only say where the doc lives now ("Legacy path notice"): pointers, not docs. */
  pointers: DocModel[];
  /** Folders of this session sitting directly under the project (`projects/<p>/<s>/`), with their files. */
  misplaced: Map<string, string[]>;
}

export interface ProjectModel {
  name: string;
  dir: string;
  sessions: SessionModel[];
  dataFiles: Map<string, DataFile>;
}

/**
 * A file the engine could not turn into facts: unreadable, too large, binary, not UTF-8, or past a
 * parse limit (its shape, the time budget or the parser's memory).
 */
export interface FileProblem {
  path: string;
  problem:
    | SourceProblem
    | { kind: 'binary' }
    | { kind: 'invalid-utf8'; range?: Range }
    | ({ kind: 'too-complex' } & LimitBreach);
}

export interface Workspace {
  projects: ProjectModel[];
  docs: Map<string, DocModel>;
  problems: FileProblem[];
  /** Every path the source offered, for resolving relative links. */
  paths: ReadonlySet<string>;
}
