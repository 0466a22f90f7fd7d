import type { Config } from '../config/schema.ts';
import { compareDiagnostics, type Diagnostic } from '../diagnostics.ts';
import type { ValidateResult } from '../engine.ts';
import { parseCurrentSession } from '../model/current-session.ts';
import type { ProjectModel, SessionModel } from '../model/model.ts';
import { sessionStatus, stageReached } from '../model/progress.ts';
import { traceOf } from '../model/trace.ts';
import { DOC_KINDS, type DocKind } from '../pipeline/stages.ts';
import { RULES } from '../rules/registry.ts';
import { ruleUrl } from '../rules/rule.ts';
import { REPORT_SCHEMA_ID, type Report, type SessionSummary } from './schema.ts';

/** Kinds every session is expected to have; metadata is optional upstream. */
const EXPECTED: readonly DocKind[] = DOC_KINDS.filter((k) => k !== 'meta');

/** `own`: the diagnostics about this session (grouped once by the caller, not filtered per session). */
export function summarizeSession(
  project: ProjectModel,
  session: SessionModel,
  config: Config,
  own: readonly Diagnostic[],
): SessionSummary {
  const trace = traceOf(session, config);
  const requirements = [...trace.requirements.keys()];
  const stage = stageReached(session);
  const status = sessionStatus(session);
  const current = project.dataFiles.get('CURRENT_SESSION');
  const tasks = trace.allTasks.filter((t) => t.task.parent === undefined);
  return {
    project: session.project,
    session: session.name,
    path: session.dir,
    ...(stage ? { stage } : {}),
    ...(status ? { status } : {}),
    current: current ? parseCurrentSession(current.text).session === session.name : false,
    docs: session.docs.map((d) => ({ kind: d.kind, path: d.path })),
    missing: EXPECTED.filter((kind) => !session.docs.some((d) => d.kind === kind)),
    markers: session.docs.reduce((n, d) => n + d.facts.markers.length, 0),
    coverage: {
      requirements: requirements.length,
      withTasks: requirements.filter((k) => trace.citedByTasks.has(k)).length,
      withTests: requirements.filter((k) => trace.citedByTests.has(k)).length,
      aligned: requirements.filter((k) => trace.citedByDoneTasks.has(k) && trace.citedByTests.has(k)).length,
      tasks: tasks.length,
      tasksDone: tasks.filter((t) => t.task.checked).length,
    },
    errors: own.filter((d) => d.severity === 'error').length,
    warnings: own.filter((d) => d.severity === 'warning').length,
  };
}

/** Part of the workspace a run was about: folders asked for and/or the change since a git ref. */
export interface ReportScope {
  /** Workspace-relative folders or files (`''` is the whole workspace). */
  paths?: readonly string[];
  changed?: ReadonlySet<string>;
  changedSince?: string;
}

const within = (path: string, folders: readonly string[]): boolean =>
  folders.some((f) => f === '' || path === f || path.startsWith(`${f}/`));

/**
 * What one part of a workspace (a project, or all of it) brings to a report: its sessions (findings
 * not yet counted), the files it read, and its findings. Parts of projects checked in separate runs
 * assemble into the report one run over all of them gives (see assembleReport).
 */
export interface ReportPart {
  sessions: SessionSummary[];
  files: string[];
  diagnostics: Diagnostic[];
}

export function reportPart(result: ValidateResult, config: Config): ReportPart {
  const { workspace, diagnostics } = result;
  return {
    sessions: workspace.projects.flatMap((p) => p.sessions.map((s) => summarizeSession(p, s, config, []))),
    files: [...workspace.docs.keys(), ...workspace.problems.map((p) => p.path)],
    diagnostics,
  };
}

/** Builds the report of one run (see assembleReport). */
export function buildReport(
  result: ValidateResult,
  config: Config,
  root: string,
  version: string,
  scope?: ReportScope,
): Report {
  return assembleReport([reportPart(result, config)], config, root, version, scope);
}

/**
 * The report of parts in workspace order (projects by folder). With a scope, sessions and files
 * outside it are not counted or listed: a run says what it checked, not what the workspace holds.
 * Each session counts the findings about it among the parts' findings.
 */
export function assembleReport(
  parts: readonly ReportPart[],
  config: Config,
  root: string,
  version: string,
  scope?: ReportScope,
): Report {
  const diagnostics =
    parts.length === 1 ? parts[0]!.diagnostics : parts.flatMap((p) => p.diagnostics).sort(compareDiagnostics);
  const inScope = (path: string): boolean =>
    (!scope?.paths || within(path, scope.paths)) && (!scope?.changed || scope.changed.has(path));
  const sessionInScope = (s: SessionSummary): boolean =>
    inScope(s.path) ||
    s.docs.some((d) => inScope(d.path)) ||
    (!scope?.changed && !!scope?.paths?.some((f) => f.startsWith(`${s.path}/`)));
  const bySession = Map.groupBy(diagnostics, (d) => `${d.project}\0${d.session}`);
  const sessions = parts.flatMap((part) =>
    part.sessions
      .filter((s) => !scope || sessionInScope(s))
      .map((s) => withFindings(s, bySession.get(`${s.project}\0${s.session}`) ?? [])),
  );
  const files = parts.flatMap((p) => p.files).filter((path) => !scope || inScope(path));
  const count = (severity: Diagnostic['severity']) =>
    diagnostics.filter((d) => d.severity === severity).length;
  const shownScope = {
    ...(scope?.paths && !scope.paths.includes('') ? { paths: [...scope.paths] } : {}),
    ...(scope?.changedSince ? { changedSince: scope.changedSince } : {}),
  };
  return {
    schema: REPORT_SCHEMA_ID,
    tool: { name: 'idse', version },
    root,
    profile: config.profile,
    ...(Object.keys(shownScope).length ? { scope: shownScope } : {}),
    summary: {
      files: files.length,
      sessions: sessions.length,
      errors: count('error'),
      warnings: count('warning'),
      infos: count('info'),
    },
    sessions,
    diagnostics,
    rules: RULES.map((r) => ({
      code: r.code,
      name: r.name,
      description: r.description,
      article: r.article,
      defaultSeverity: r.defaultSeverity,
      ...(r.strictSeverity ? { strictSeverity: r.strictSeverity } : {}),
      url: ruleUrl(r.code),
    })),
  };
}

const withFindings = (session: SessionSummary, own: readonly Diagnostic[]): SessionSummary => ({
  ...session,
  errors: own.filter((d) => d.severity === 'error').length,
  warnings: own.filter((d) => d.severity === 'warning').length,
});
