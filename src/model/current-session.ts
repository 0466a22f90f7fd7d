/**
 * `CURRENT_SESSION` is a bare session id (orchestrator) or `key: value` lines with `session_id`
 * (agency repo). Both are accepted.
 */
export function parseCurrentSession(text: string): { session?: string; line: number } {
  const lines = text.split(/\r?\n/);
  const keyed = lines.findIndex((l) => /^\s*session_id\s*:/.test(l));
  if (keyed !== -1) {
    const value = lines[keyed]!.replace(/^\s*session_id\s*:\s*/, '')
      .trim()
      .replace(/^["']|["']$/g, '');
    return value ? { session: value, line: keyed + 1 } : { line: keyed + 1 };
  }
  const first = lines.findIndex((l) => l.trim() !== '');
  return first === -1 ? { line: 1 } : { session: lines[first]!.trim(), line: first + 1 };
}
