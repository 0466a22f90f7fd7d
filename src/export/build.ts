import { parseRegistry, REGISTRY_FILE } from '../agents/registry.ts';
import { routeSession } from '../agents/routing.ts';
import type { Config } from '../config/schema.ts';
import { parseCurrentSession } from '../model/current-session.ts';
import type { DocModel, ProjectModel, SessionModel, Workspace } from '../model/model.ts';
import { docStarted, isClosed, sessionStatus, stageReached } from '../model/progress.ts';
import { traceOf } from '../model/trace.ts';
import { type Stage, stageOfKind } from '../pipeline/stages.ts';
import { readRecord } from '../sessions/record.ts';
import { EXPORT_SCHEMA_ID, type ExportDocument, type ExportSession } from './schema.ts';

export interface ExportOptions {
  stages: readonly Stage[];
  project?: string;
  session?: string;
  version: string;
  /** A doc's text by workspace-relative path; docs are exported whole, facts alone do not keep text. */
  readText(path: string): string;
}

function exportDoc(doc: DocModel, readText: (path: string) => string) {
  const text = readText(doc.path);
  const lines = text.split('\n');
  const stage = stageOfKind(doc.kind);
  return {
    kind: doc.kind,
    ...(stage ? { stage } : {}),
    path: doc.path,
    ...(doc.facts.title ? { title: doc.facts.title } : {}),
    started: docStarted(doc.facts),
    markers: doc.facts.markers.length,
    sections: doc.facts.headings.map((h) => ({
      title: h.text,
      depth: h.depth,
      line: h.span[0],
      endLine: h.endLine,
      text: lines.slice(h.span[0], h.endLine).join('\n').trim(),
    })),
    text,
  };
}

function exportSession(
  project: ProjectModel,
  session: SessionModel,
  config: Config,
  options: ExportOptions,
): ExportSession {
  const trace = traceOf(session, config);
  const routed = routeSession(session, config, parseRegistry(project.dataFiles.get(REGISTRY_FILE)?.text));
  const byLine = new Map(routed.map((t) => [`${t.file}:${t.line}`, t]));
  const status = sessionStatus(session);
  const owner = readRecord(session).owner;
  const stage = stageReached(session);
  const current = project.dataFiles.get('CURRENT_SESSION');
  const tasks = trace.allTasks
    .filter((t) => t.task.parent === undefined)
    .map(({ doc, task, index }) => {
      const r = byLine.get(`${doc.path}:${task.span[0]}`);
      const cited = doc.facts.ids.filter(
        (f) => f.task === index && config.ids.requirements.includes(f.family),
      );
      return {
        ...(task.key ? { key: task.key } : {}),
        ...(task.label ? { label: task.label } : {}),
        text: task.text,
        done: task.checked,
        ready: r?.ready ?? false,
        parallel: task.parallel,
        ...(task.owner ? { owner: task.owner } : {}),
        ...(r?.agent ? { agent: r.agent } : {}),
        ...(task.phase ? { phase: task.phase } : {}),
        deps: (task.deps ?? []).map((d) => d.text),
        ...(task.acceptance ? { acceptance: task.acceptance } : {}),
        requirements: [...new Set(cited.map((f) => f.key))],
        file: doc.path,
        line: task.span[0],
      };
    });
  const requirements = [...trace.requirements].map(([key, defs]) => {
    const { doc, fact } = defs[0]!;
    return {
      id: fact.id,
      key,
      family: fact.family,
      file: doc.path,
      line: fact.span[0],
      tasks: tasks.filter((t) => t.requirements.includes(key)).map((t) => t.key ?? t.label ?? t.text),
      done: trace.citedByDoneTasks.has(key),
      tested: trace.citedByTests.has(key),
    };
  });
  return {
    project: project.name,
    session: session.name,
    path: session.dir,
    ...(status ? { status } : {}),
    ...(owner ? { owner } : {}),
    closed: isClosed(session),
    current: current ? parseCurrentSession(current.text).session === session.name : false,
    ...(stage ? { stage } : {}),
    docs: session.docs
      .filter((d) => {
        const s = stageOfKind(d.kind);
        return s !== undefined && options.stages.includes(s);
      })
      .map((d) => exportDoc(d, options.readText)),
    requirements,
    tasks,
    markers: session.docs.flatMap((d) => d.facts.markers.map((m) => ({ file: d.path, line: m[0] }))),
  };
}

/** The export document: chosen sessions with their docs of the chosen stages, traceability and tasks. */
export function buildExport(workspace: Workspace, config: Config, options: ExportOptions): ExportDocument {
  const sessions = workspace.projects
    .filter((p) => !options.project || p.name === options.project)
    .flatMap((p) =>
      p.sessions
        .filter((s) => !options.session || s.name === options.session)
        .map((s) => exportSession(p, s, config, options)),
    );
  return {
    schema: EXPORT_SCHEMA_ID,
    tool: { name: 'idse', version: options.version },
    stages: [...options.stages],
    sessions,
  };
}
