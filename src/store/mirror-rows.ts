/**
 * Mirror rows: what the store keeps of one validation (a row per doc, a row per session), shaped from
 * the engine's workspace and report. The App's check runs and the sync gateway's pushes record the
 * same rows, so both shape them here.
 */
import type { Diagnostic } from '../diagnostics.ts';
import type { Workspace } from '../model/model.ts';
import type { DocKind, Stage } from '../pipeline/stages.ts';
import type { Report } from '../report/schema.ts';
import type { ValidationMirror } from './schema.ts';

/** One doc as validated at headSha: what the persistent store keeps as an artifact version. */
export interface ValidatedDoc {
  /** Repository-relative POSIX path. */
  path: string;
  kind: DocKind;
  /** Git blob SHA of the doc at headSha. */
  blobSha: string;
  project: string;
  session: string;
  /** A few counts from the doc's facts (title, lines, tasks…): small on purpose. */
  summary: Record<string, string | number>;
  /** Findings in this file, the session validated whole. */
  diagnostics: Diagnostic[];
}

export interface ValidatedSession {
  project: string;
  session: string;
  stage?: Stage;
  status?: string;
  errors: number;
  warnings: number;
  /** Open `[REQUIRES INPUT]` markers in the session's docs. */
  markers: number;
  /** The report's coverage counts (requirements, withTasks, …). */
  coverage: Record<string, number>;
}

/** The report's row per session, as the store keeps a session's state. */
export const sessionStatesOf = (report: Report): ValidatedSession[] =>
  report.sessions.map((s) => ({
    project: s.project,
    session: s.session,
    ...(s.stage ? { stage: s.stage } : {}),
    ...(s.status ? { status: s.status } : {}),
    errors: s.errors,
    warnings: s.warnings,
    markers: s.markers,
    coverage: { ...s.coverage },
  }));

/** Every doc of the loaded sessions with its blob SHA (from the tree) and its findings. */
export function validatedDocs(
  workspace: Workspace,
  tree: readonly { path: string; sha: string }[],
  diagnostics: readonly Diagnostic[],
): ValidatedDoc[] {
  const blobs = new Map(tree.map((e) => [e.path, e.sha]));
  const byFile = new Map<string, Diagnostic[]>();
  for (const d of diagnostics) {
    const list = byFile.get(d.file);
    if (list) list.push(d);
    else byFile.set(d.file, [d]);
  }
  const out: ValidatedDoc[] = [];
  for (const project of workspace.projects) {
    for (const session of project.sessions) {
      for (const doc of session.docs) {
        const blobSha = blobs.get(doc.path);
        if (!blobSha) continue;
        const { facts } = doc;
        out.push({
          path: doc.path,
          kind: doc.kind,
          blobSha,
          project: project.name,
          session: session.name,
          summary: {
            ...(facts.title ? { title: facts.title.slice(0, 200) } : {}),
            lines: facts.lineCount,
            headings: facts.headings.length,
            ids: facts.ids.length,
            tasks: facts.tasks.length,
            tasksDone: facts.tasks.filter((t) => t.checked).length,
            markers: facts.markers.length,
          },
          diagnostics: byFile.get(doc.path) ?? [],
        });
      }
    }
  }
  return out;
}

export const artifactOf = (doc: ValidatedDoc): NonNullable<ValidationMirror['artifacts']>[number] => ({
  path: doc.path,
  kind: doc.kind,
  blob_sha: doc.blobSha,
  project: doc.project,
  session: doc.session,
  summary: doc.summary,
  diagnostics: doc.diagnostics,
});

export const sessionOf = (s: ValidatedSession): NonNullable<ValidationMirror['sessions']>[number] => ({
  project: s.project,
  session: s.session,
  stage: s.stage ?? null,
  status: s.status ?? null,
  errors: s.errors,
  warnings: s.warnings,
  markers: s.markers,
  coverage: s.coverage,
});
