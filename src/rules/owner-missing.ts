import { metadataPlace, readRecord } from '../sessions/record.ts';
import { defineRule } from './rule.ts';
import { forEachSession } from './sessions.ts';

export default defineRule({
  code: 'IDSE038',
  name: 'owner-missing',
  description: 'A session that keeps metadata records its owner there (session.json, meta.md or .owner).',
  article: 'X',
  defaultSeverity: 'warning',
  strictSeverity: 'error',
  *check({ workspace }) {
    for (const { session, where } of forEachSession(workspace)) {
      const record = readRecord(session);
      // Only sessions that keep metadata (Article X §8's files) are expected to name an owner there.
      if (record.owner !== undefined || Object.keys(record.files).length === 0) continue;
      yield {
        ...where,
        ...metadataPlace(session, 'owner'),
        message: 'session has no owner in its metadata; record one with `idse session set-owner <owner>`',
      };
    }
  },
});
