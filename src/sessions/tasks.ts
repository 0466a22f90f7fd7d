import type { Config } from '../config/schema.ts';
import type { SessionModel } from '../model/model.ts';
import { type TaskEntry, traceOf } from '../model/trace.ts';

/** Top-level task items not ticked yet: the work a session still has open. */
export const openTasks = (session: SessionModel, config: Config): TaskEntry[] =>
  traceOf(session, config).allTasks.filter((t) => t.task.parent === undefined && !t.task.checked);

/** What a task item says once its label, `[P]`, `(Owner: …)`-style fields and dashes are taken off. */
const description = (text: string): string =>
  text
    .replace(/^[\s*_`[]*(?:Task\s+\d+(?:\.\d+)*|T\d{2,})\b[*_`\]]*/i, '')
    .replace(/\((?:Owner|Deps|Acceptance)\s*:[^)]*\)/gi, '')
    .replace(/\[P\]/g, '')
    .replace(/^[\s:–—-]+|[\s.]+$/g, '');

/**
 * A task item that is still a template line (`Task 1.1 – ...`, `– [REQUIRES INPUT]`, `TODO`,
 * `[Describe …]`): nobody can start it, so it is never offered as the next task.
 */
export const isPlaceholderTask = (text: string): boolean =>
  /^(?:|\.{2,}|…|TODO|TBD|\[[^\]]*\])$/i.test(description(text));
