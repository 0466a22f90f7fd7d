import { touchedBy } from '../../config/select.ts';
import { mapLimit } from './blobs.ts';
import { type GitHub, openPulls, pullFiles, type Repo } from './github.ts';

export interface Overlap {
  pulls: Array<{ number: number; title: string; url: string; sessions: string[] }>;
  /** Open pull requests looked at (the most recently updated first). */
  checked: number;
  /** More were open than were looked at. */
  more: boolean;
}

/** Other open pull requests looked at, at most: each costs a request (or more) per event. */
export const OVERLAP_PULLS = 30;

/**
 * Other open pull requests that edit the docs of the same sessions as this one: two authors
 * changing one session's spec or tasks at once is how traceability breaks unnoticed.
 */
export async function overlappingPulls(
  gh: GitHub,
  repo: Repo,
  self: number,
  sessions: ReadonlySet<string>,
  concurrency: number,
): Promise<Overlap> {
  if (sessions.size === 0) return { pulls: [], checked: 0, more: false };
  const open = await openPulls(gh, repo, OVERLAP_PULLS + 1);
  const others = open.filter((p) => p.number !== self);
  const looked = others.slice(0, OVERLAP_PULLS);
  const found = await mapLimit(looked, concurrency, async (pull) => {
    const { paths } = await pullFiles(gh, repo, pull.number);
    const shared = [...touchedBy(paths).sessions].filter((s) => sessions.has(s)).sort();
    return { ...pull, sessions: shared };
  });
  return {
    pulls: found.filter((p) => p.sessions.length > 0),
    checked: looked.length,
    more: others.length > looked.length,
  };
}

/** The summary's warning, or undefined when no other pull request shares a session. */
export function overlapNote(overlap: Overlap): string | undefined {
  if (overlap.pulls.length === 0) return undefined;
  const list = overlap.pulls
    .slice(0, 10)
    .map(
      (p) =>
        `[#${p.number}](${p.url}) “${escapeMarkdown(p.title)}” (${p.sessions.map((s) => `\`${s}\``).join(', ')})`,
    );
  const extra = overlap.pulls.length > 10 ? ` and ${overlap.pulls.length - 10} more` : '';
  return `⚠️ Other open pull requests edit the same sessions: ${list.join('; ')}${extra}. Agree who changes what before merging, or traceability between the docs may break.`;
}

/** Pull request titles are user text: keep them from turning into markdown or HTML. */
const escapeMarkdown = (text: string): string =>
  text
    .replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!)
    .replace(/[\\`*_[\]|~]/g, '\\$&');
