import type { Config } from '../config/schema.ts';
import type { Diagnostic } from '../diagnostics.ts';
import { runRules } from '../engine.ts';
import type { DocModel, SessionModel, Workspace } from '../model/model.ts';
import { docStarted, docsOfKind, primaryDoc } from '../model/progress.ts';
import { editJson } from './json-edit.ts';
import { openTasks } from './tasks.ts';

/** Something that stops a status change unless it is forced. */
export interface Blocker {
  /** A rule code, `open-task`, or `not-started` (a doc `review` needs). */
  code: string;
  file: string;
  line?: number;
  message: string;
}

/** The code of the rule about complete sessions with open tasks: the gate lists the tasks instead. */
const OPEN_TASKS_RULE = 'IDSE037';

/**
 * The workspace as it would be with the session's status changed: session.json's text, or else the
 * meta.md front matter, carries the new status. Nothing is written; rules then see what closing
 * would bring (a complete session with empty feedback, for instance).
 */
export function withProjectedStatus(workspace: Workspace, session: SessionModel, status: string): Workspace {
  const dataFiles = new Map(session.dataFiles);
  const json = dataFiles.get('session.json');
  let docs = session.docs;
  if (json) {
    try {
      dataFiles.set('session.json', { ...json, text: editJson(json.text, [[['status'], status]]) });
    } catch {
      // Malformed metadata: the rules report it as it is.
    }
  } else {
    const meta = primaryDoc(session, 'meta');
    const fm = meta?.facts.frontMatter;
    if (meta && fm?.data && typeof fm.data === 'object') {
      const projected: DocModel = {
        ...meta,
        facts: { ...meta.facts, frontMatter: { ...fm, data: { ...fm.data, status } } },
      };
      docs = docs.map((d) => (d === meta ? projected : d));
    }
  }
  const next: SessionModel = { ...session, dataFiles, docs };
  return {
    ...workspace,
    projects: workspace.projects.map((p) =>
      p.name === session.project && p.sessions.includes(session)
        ? { ...p, sessions: p.sessions.map((s) => (s === session ? next : s)) }
        : p,
    ),
  };
}

const ofSession = (session: SessionModel) => (d: Diagnostic) =>
  (d.project === session.project && d.session === session.name) || d.file.startsWith(`${session.dir}/`);

/**
 * Why a session may not become complete: every error it would have once complete (all rules, the
 * config's severities and suppressions applied), every error it has now (`current`: the run's own
 * diagnostics, which also saw what the rules cannot be given here, such as the design manifest),
 * and every open task.
 */
export function completeBlockers(
  workspace: Workspace,
  config: Config,
  session: SessionModel,
  current: readonly Diagnostic[] = [],
): Blocker[] {
  const projected = runRules(withProjectedStatus(workspace, session, 'complete'), { config });
  const errors = new Map<string, Blocker>();
  for (const d of [...current, ...projected]) {
    if (d.severity !== 'error' || d.code === OPEN_TASKS_RULE || !ofSession(session)(d)) continue;
    const blocker = {
      code: d.code,
      file: d.file,
      ...(d.range ? { line: d.range.start.line } : {}),
      message: d.message,
    };
    errors.set(formatBlocker(blocker), blocker);
  }
  return [
    ...errors.values(),
    ...openTasks(session, config).map(({ doc, task }) => ({
      code: 'open-task',
      file: doc.path,
      line: task.span[0],
      message: `open task: ${task.text}`,
    })),
  ];
}

/** `review` needs the spec and the plan started: there is nothing to review before them. */
export function reviewBlockers(session: SessionModel): Blocker[] {
  return (['spec', 'plan'] as const)
    .filter((kind) => !docsOfKind(session, kind).some((d) => docStarted(d.facts)))
    .map((kind) => ({
      code: 'not-started',
      file: primaryDoc(session, kind)?.path ?? session.dir,
      message: `the ${kind} has no content yet; review needs the spec and the plan started`,
    }));
}

export const formatBlocker = (b: Blocker): string =>
  `${b.file}${b.line ? `:${b.line}` : ''}  ${b.code}  ${b.message}`;
