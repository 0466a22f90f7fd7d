/**
 * A task moving between agents, written into the tasks doc itself so the history stays in git:
 * the owner on the task line changes, and a nested line records who handed it over, when and why.
 *
 *   - [ ] Task 1.2 – Build the loader (Owner: @codex) (Deps: Task 1.1) (Acceptance: FR-1)
 *     - Handoff: @claude → @codex on 2026-11-25: needs the SQL migration skills
 */
export function handOff(
  text: string,
  line: number,
  change: { from?: string; to: string; date: string; note?: string },
): string {
  const lines = text.split('\n');
  const index = line - 1;
  const taskLine = lines[index];
  if (taskLine === undefined) throw new RangeError(`line ${line} is past the end`);
  const to = change.to.startsWith('@') ? change.to : `@${change.to}`;
  const from = change.from ?? 'unassigned';
  const indent = `${/^\s*/.exec(taskLine)![0]}  `;
  let end = index + 1;
  while (end < lines.length && lines[end]!.startsWith(indent) && lines[end]!.trim() !== '') end++;
  // The owner lives inline (`(Owner: …)`) or on a nested detail line (`- Owner: …`); change it where it is.
  // Doc text is untrusted: the blanks after `Owner:` are taken whole (`(?=(\s*))\2`), and the inline
  // field is found with two searches, so no line makes these patterns backtrack.
  const nestedOwner = /^(\s*[-*+]\s+(?:\*\*)?Owner(?:\*\*)?:(?=(\s*))\2).*$/i;
  const nested = lines.slice(index + 1, end).findIndex((l) => nestedOwner.test(l));
  const inline = inlineOwner(taskLine);
  if (inline) lines[index] = `${taskLine.slice(0, inline.start)}(Owner: ${to})${taskLine.slice(inline.end)}`;
  else if (nested !== -1)
    lines[index + 1 + nested] = lines[index + 1 + nested]!.replace(nestedOwner, `$1${to}`);
  else lines[index] = `${taskLine.trimEnd()} (Owner: ${to})`;
  const note = change.note ? `: ${change.note.replace(/\s+/g, ' ').trim()}` : '';
  lines.splice(end, 0, `${indent}- Handoff: ${from} → ${to} on ${change.date}${note}`);
  return lines.join('\n');
}

/** Where `(Owner: …)` is on a line: the first opening, up to the first `)` after it. */
function inlineOwner(line: string): { start: number; end: number } | undefined {
  const start = line.search(/\(Owner:/i);
  const close = start === -1 ? -1 : line.indexOf(')', start + 7);
  return close === -1 ? undefined : { start, end: close + 1 };
}
