import { agentNamer, normalName } from '../agents/names.ts';
import { defaultConfig } from '../config/schema.ts';
import type { ExportDocument } from './schema.ts';

export interface QueryFilters {
  project?: string;
  session?: string;
  status?: string;
  owner?: string;
  agent?: string;
}

export type Row = Record<string, string | number | boolean | undefined>;

const norm = (value: string | undefined) => (value === undefined ? undefined : normalName(value));

/**
 * An agent by its family name (`gpt-codex` is `codex`): the same answer from the docs as from an
 * export, which does not carry the config's aliases.
 */
const knownAs = agentNamer(defaultConfig());
const sameAgent = (a: string | undefined, b: string) =>
  a !== undefined && (knownAs(a) ?? norm(a)) === (knownAs(b) ?? norm(b));

interface Query {
  description: string;
  /** Which filters the query honours besides project and session. */
  filters: readonly (keyof QueryFilters)[];
  run(doc: ExportDocument, f: QueryFilters): Row[];
}

const sessionsOf = (doc: ExportDocument, f: QueryFilters) =>
  doc.sessions.filter(
    (s) => (!f.project || s.project === f.project) && (!f.session || s.session === f.session),
  );

const taskRows = (
  doc: ExportDocument,
  f: QueryFilters,
  keep: (t: ExportDocument['sessions'][number]['tasks'][number]) => boolean,
) =>
  sessionsOf(doc, f).flatMap((s) =>
    s.tasks
      .filter((t) => keep(t) && (!f.agent || sameAgent(t.agent, f.agent)))
      .map((t) => ({
        project: s.project,
        session: s.session,
        task: t.label ?? t.key ?? t.text.slice(0, 40),
        agent: t.agent,
        ready: t.ready,
        file: t.file,
        line: t.line,
        text: t.text,
      })),
  );

const requirementRows = (
  doc: ExportDocument,
  f: QueryFilters,
  keep: (r: ExportDocument['sessions'][number]['requirements'][number]) => boolean,
) =>
  sessionsOf(doc, f).flatMap((s) =>
    s.requirements.filter(keep).map((r) => ({
      project: s.project,
      session: s.session,
      requirement: r.id,
      tasks: r.tasks.length,
      tested: r.tested,
      file: r.file,
      line: r.line,
    })),
  );

/**
 * Named questions scripts ask of a workspace, answered from the export document, so the answer is
 * the same whether it comes from the docs or from an export made earlier.
 */
export const QUERIES: Readonly<Record<string, Query>> = {
  'open-tasks': {
    description: 'tasks not ticked yet, with their agent and whether they can start',
    filters: ['agent'],
    run: (doc, f) => taskRows(doc, f, (t) => !t.done),
  },
  'ready-tasks': {
    description: 'open tasks whose dependencies are all done',
    filters: ['agent'],
    run: (doc, f) => taskRows(doc, f, (t) => !t.done && t.ready),
  },
  'requirements-without-tests': {
    description: 'requirements no test plan cites',
    filters: [],
    run: (doc, f) => requirementRows(doc, f, (r) => !r.tested),
  },
  'requirements-without-tasks': {
    description: 'requirements no task cites',
    filters: [],
    run: (doc, f) => requirementRows(doc, f, (r) => r.tasks.length === 0),
  },
  sessions: {
    description: 'sessions with status, owner and stage (filter with --status, --owner)',
    filters: ['status', 'owner'],
    run: (doc, f) =>
      sessionsOf(doc, f)
        .filter((s) => (!f.status || s.status === f.status) && (!f.owner || norm(s.owner) === norm(f.owner)))
        .map((s) => ({
          project: s.project,
          session: s.session,
          status: s.status,
          owner: s.owner,
          stage: s.stage,
          current: s.current,
          path: s.path,
        })),
  },
  markers: {
    description: 'unresolved [REQUIRES INPUT] markers',
    filters: [],
    run: (doc, f) =>
      sessionsOf(doc, f).flatMap((s) =>
        s.markers.map((m) => ({ project: s.project, session: s.session, file: m.file, line: m.line })),
      ),
  },
};
