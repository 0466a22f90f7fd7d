/** Pipeline docs for the App's tests: a clean intent, and ways to break it. */

export const sessionDir = (project: string, session: string): string =>
  `projects/${project}/sessions/${session}`;
export const intentPath = (project: string, session: string): string =>
  `${sessionDir(project, session)}/intents/intent.md`;

/** An intent with every template section filled: a session at the intent stage with no findings. */
export function cleanIntent(title = 'faster reports', scopeExtra = ''): string {
  return [
    `# Intent: ${title}`,
    '',
    '## Goal',
    '',
    'Reports render in under a second.',
    '',
    '## Problem / Opportunity',
    '',
    'Reports are slow today.',
    '',
    '## Stakeholders / Users',
    '',
    'Analysts.',
    '',
    '## Success Criteria',
    '',
    '- Median render time below one second.',
    '',
    '## Constraints / Assumptions / Risks',
    '',
    'Same hardware.',
    '',
    '## Scope',
    '',
    'The report page only.',
    scopeExtra,
    '',
    '## Time / Priority',
    '',
    'This quarter.',
    '',
  ].join('\n');
}

/** Line (1-based) of the first scope-extra line in cleanIntent's output. */
export const SCOPE_EXTRA_LINE = 26;

/** An intent with `n` unresolved markers, one per line from SCOPE_EXTRA_LINE on: `n` errors. */
export const intentWithMarkers = (n: number): string =>
  cleanIntent(
    'faster reports',
    Array.from({ length: n }, (_, i) => `- Open point ${i + 1}: [REQUIRES INPUT]`).join('\n'),
  );

/** An intent whose broken links each carry a `length`-character target: long findings. */
export const intentWithLongLinks = (links: number, length: number): string =>
  cleanIntent(
    'long links',
    Array.from(
      { length: links },
      (_, i) => `- See [spec ${i}](./${String(i).padStart(4, '0')}${'a'.repeat(length)}.md)`,
    ).join('\n'),
  );

/** One clean session per name under project `demo`. */
export function cleanSessions(...names: string[]): Record<string, string> {
  return Object.fromEntries(names.map((n) => [intentPath('demo', n), cleanIntent(`session ${n}`)]));
}
