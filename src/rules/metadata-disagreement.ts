import type { Finding } from '../diagnostics.ts';
import type { SessionModel } from '../model/model.ts';
import { toRange } from '../pipeline/facts.ts';
import { jsonKeyRange, metaDoc, metaFrontMatter, ownerFileOwner, sessionJson } from '../sessions/record.ts';
import { defineRule } from './rule.ts';
import { forEachSession } from './sessions.ts';

const same = (a: string, b: string) => a.trim().replace(/^@/, '') === b.trim().replace(/^@/, '');
const scalar = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);
const tagSet = (v: unknown): string | undefined =>
  Array.isArray(v) ? [...new Set(v.map(String))].sort().join(', ') : undefined;

/** Each place that states a session's id, owner, status or tags, and what it says. */
function disagreements(session: SessionModel): Omit<Finding, 'project' | 'session'>[] {
  const json = sessionJson(session);
  const jsonFile = session.dataFiles.get('session.json');
  const fm = metaFrontMatter(session);
  const meta = metaDoc(session);
  const found: Omit<Finding, 'project' | 'session'>[] = [];
  const id = scalar(json?.session_id);
  if (jsonFile && id !== undefined && id !== session.name) {
    const range = jsonKeyRange(jsonFile.text, 'session_id');
    found.push({
      file: jsonFile.path,
      ...(range ? { range } : {}),
      message: `session.json says session_id '${id}' but the session folder is '${session.name}'`,
    });
  }
  if (fm && meta?.facts.frontMatter) {
    const at = { file: meta.path, range: toRange(meta.facts.frontMatter.span) };
    const pairs: [string, string | undefined, string, string | undefined][] = [
      ['session', scalar(fm.session), 'the session folder', session.name],
      ['owner', scalar(fm.owner), 'session.json', scalar(json?.owner)],
      ['status', scalar(fm.status), 'session.json', scalar(json?.status)],
      ['tags', tagSet(fm.tags), 'session.json', json ? tagSet(json.tags) : undefined],
    ];
    for (const [key, mine, other, theirs] of pairs) {
      if (mine === undefined || theirs === undefined || same(mine, theirs)) continue;
      found.push({ ...at, message: `meta.md says ${key} '${mine}' but ${other} says '${theirs}'` });
    }
  }
  const ownerFile = session.dataFiles.get('.owner');
  const named =
    ownerFile && /^\s*owner\s*:/im.test(ownerFile.text) ? ownerFileOwner(ownerFile.text) : undefined;
  const recorded = scalar(json?.owner) ?? scalar(fm?.owner);
  if (ownerFile && named !== undefined && recorded !== undefined && !same(named, recorded)) {
    found.push({
      file: ownerFile.path,
      message: `.owner says owner '${named}' but ${json ? 'session.json' : 'meta.md'} says '${recorded}'`,
    });
  }
  return found;
}

export default defineRule({
  code: 'IDSE039',
  name: 'metadata-disagreement',
  description:
    'session.json, meta.md front matter and .owner agree on the session’s id, owner, status and tags.',
  article: 'VI',
  defaultSeverity: 'warning',
  strictSeverity: 'error',
  *check({ workspace }) {
    for (const { session, where } of forEachSession(workspace)) {
      for (const finding of disagreements(session)) yield { ...where, ...finding };
    }
  },
});
