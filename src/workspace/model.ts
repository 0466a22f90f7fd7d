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
