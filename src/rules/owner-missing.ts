import { metadataPlace, readRecord } from '../sessions/record.ts';
import { defineRule } from './rule.ts';
import { forEachSession } from './sessions.ts';

export default defineRule({
  code: 'IDSE038',
  name: 'owner-missing',
  description: 'A session records its owner in its metadata folder (session.json, meta.md or .owner).',
  article: 'X',
  defaultSeverity: 'warning',
  *check({ workspace }) {
    for (const { session, where } of forEachSession(workspace)) {
      if (readRecord(session).owner !== undefined) continue;
      yield {
        ...where,
        ...metadataPlace(session, 'owner'),
        message: 'session has no owner in its metadata; record one with `idse session set-owner <owner>`',
      };
    }
  },
});
