import type { FileChange } from './instructions.ts';

/** The tools the gate looks at: every file-writing tool, and the shell. */
export const GATE_MATCHER = 'Write|Edit|MultiEdit|NotebookEdit|Bash';

/** The hook command; `$CLAUDE_PROJECT_DIR` is set by Claude Code to the project's root. */
export const gateCommand = (idse: string, agent: string): string =>
  `${idse} agents gate --agent ${agent} --root "$CLAUDE_PROJECT_DIR"`;

const isGate = (command: unknown): boolean => typeof command === 'string' && / agents gate\b/.test(command);

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Claude Code settings with the gate registered as a `PreToolUse` hook. Everything else — other
 * hooks, other events, other keys — is kept; an earlier gate entry is updated in place rather than
 * added twice. A settings file idse cannot read safely is a problem, never overwritten.
 */
export function withGateHook(
  existing: string | undefined,
  command: string,
): { text: string; change: FileChange } | { problem: string } {
  let settings: Json = {};
  if (existing !== undefined && existing.trim() !== '') {
    let data: unknown;
    try {
      data = JSON.parse(existing);
    } catch (error) {
      return { problem: `it is not valid JSON (${(error as Error).message}); fix it first` };
    }
    if (!isObject(data)) return { problem: 'it is not a JSON object' };
    settings = data;
  }
  const hooks = settings.hooks ?? {};
  if (!isObject(hooks)) return { problem: '`hooks` is not an object' };
  const pre = hooks.PreToolUse ?? [];
  if (!Array.isArray(pre)) return { problem: '`hooks.PreToolUse` is not a list' };
  const wanted = { matcher: GATE_MATCHER, hooks: [{ type: 'command', command }] };
  const index = pre.findIndex(
    (entry) =>
      isObject(entry) &&
      Array.isArray(entry.hooks) &&
      entry.hooks.some((h) => isObject(h) && isGate(h.command)),
  );
  const current = index === -1 ? undefined : (pre[index] as Json);
  if (
    current &&
    current.matcher === GATE_MATCHER &&
    JSON.stringify(current.hooks) === JSON.stringify(wanted.hooks)
  )
    return { text: existing ?? '', change: 'unchanged' };
  const entries = [...pre];
  if (current) {
    // The user's own hooks sharing that entry keep their matcher; only the gate's command moves.
    const others = (current.hooks as unknown[]).filter((h) => !(isObject(h) && isGate(h.command)));
    if (others.length) {
      entries[index] = { ...current, hooks: others };
      entries.push(wanted);
    } else entries[index] = { ...current, ...wanted };
  } else entries.push(wanted);
  const text = `${JSON.stringify({ ...settings, hooks: { ...hooks, PreToolUse: entries } }, null, 2)}\n`;
  return { text, change: existing === undefined ? 'created' : 'updated' };
}
