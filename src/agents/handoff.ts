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
  const nestedOwner = /^(\s*[-*+]\s+(?:\*\*)?Owner(?:\*\*)?:\s*).*$/i;
  const nested = lines.slice(index + 1, end).findIndex((l) => nestedOwner.test(l));
  if (/\(Owner:[^)]*\)/i.test(taskLine))
    lines[index] = taskLine.replace(/\(Owner:[^)]*\)/i, `(Owner: ${to})`);
  else if (nested !== -1)
    lines[index + 1 + nested] = lines[index + 1 + nested]!.replace(nestedOwner, `$1${to}`);
  else lines[index] = taskLine.replace(/\s*$/, ` (Owner: ${to})`);
  const note = change.note ? `: ${change.note.replace(/\s+/g, ' ').trim()}` : '';
  lines.splice(end, 0, `${indent}- Handoff: ${from} → ${to} on ${change.date}${note}`);
  return lines.join('\n');
}
