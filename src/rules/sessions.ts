import type { Range } from '../diagnostics.ts';
import type { ProjectModel, SessionModel, Workspace } from '../model/model.ts';
import { type DocFacts, toRange } from '../pipeline/facts.ts';

/** Every session with the project/session fields findings about it carry. */
export function* forEachSession(
  workspace: Workspace,
): Generator<{ project: ProjectModel; session: SessionModel; where: { project: string; session: string } }> {
  for (const project of workspace.projects) {
    for (const session of project.sessions) {
      yield { project, session, where: { project: project.name, session: session.name } };
    }
  }
}

const LINE_ONE = [1, 1, 1, 1] as const;

/** Where a finding about a whole doc points: its title, else its first heading, else line 1. */
export const headRange = (facts: DocFacts): Range =>
  toRange(facts.headings.find((h) => h.depth === 1)?.span ?? facts.headings[0]?.span ?? LINE_ONE);

/** A finding about a whole line: its first column. */
export const lineRange = (line: number): Range => ({ start: { line, column: 1 }, end: { line, column: 1 } });
