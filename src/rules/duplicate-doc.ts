import { posix } from 'node:path';
import type { Workspace } from '../model/model.ts';
import { toRange } from '../pipeline/facts.ts';
import { defineRule } from './rule.ts';
import { forEachSession, headRange } from './sessions.ts';

const WHERE = {
  'stage-rooted': 'legacy stage-rooted',
  misplaced: 'misplaced',
  flat: 'flat',
  'stage-folders': '',
};

/** A pointer's target as written: from the workspace root, from the pointer's folder, or under a prefix. */
function pointsAtSomething(workspace: Workspace, from: string, target: string): boolean {
  if (workspace.paths.has(target) || workspace.paths.has(posix.join(posix.dirname(from), target)))
    return true;
  for (const path of workspace.paths) if (path.endsWith(`/${target}`)) return true;
  return false;
}

export default defineRule({
  code: 'IDSE029',
  name: 'duplicate-doc',
  description:
    'A doc lives in one place: no legacy or misplaced copy beside the canonical doc, and legacy pointers point at a doc that exists.',
  article: 'X',
  defaultSeverity: 'warning',
  strictSeverity: 'error',
  *check({ workspace, config }) {
    const recommended = config.profile === 'recommended';
    for (const { session, where } of forEachSession(workspace)) {
      for (const { copy, canonical } of session.duplicates) {
        const same = copy.hash === canonical.hash;
        yield {
          ...where,
          file: copy.path,
          range: headRange(copy.facts),
          // An identical copy misleads nobody yet; one that drifted says something the session doesn't.
          ...(same && recommended ? { severity: 'info' as const } : {}),
          message: `${`${WHERE[copy.layout]} copy`.trim()} of ${canonical.path}${same ? '' : ', and it differs'}: only ${canonical.path} is validated; delete the copy or replace it with a pointer`,
          related: [
            { file: canonical.path, range: headRange(canonical.facts), message: 'the canonical doc' },
          ],
        };
      }
      for (const pointer of session.pointers) {
        const target = pointer.facts.pointer?.target;
        if (!target || pointsAtSomething(workspace, pointer.path, target)) continue;
        yield {
          ...where,
          file: pointer.path,
          range: toRange(pointer.facts.pointer!.span),
          message: `legacy pointer to ${target}, which does not exist`,
        };
      }
    }
  },
});
