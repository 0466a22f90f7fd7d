/**
 * CURRENT_SESSION pointing at `session`, in the format the file already has: the orchestrator's bare
 * id (its trailing newline, or lack of one, kept) or the agency's `key: value` lines, where
 * `session_id`, `canonical_root` and `updated` change and every other line stays.
 */
export function withCurrentSession(
  existing: string | undefined,
  session: string,
  canonicalRoot: string,
  stamp: string,
): string {
  if (existing === undefined) return `${session}\n`;
  if (!/^\s*session_id\s*:/m.test(existing)) return `${session}${existing.endsWith('\n') ? '\n' : ''}`;
  const values: Readonly<Record<string, string>> = {
    session_id: session,
    canonical_root: canonicalRoot,
    updated: stamp,
  };
  return existing.replace(/^(\s*)(session_id|canonical_root|updated)(\s*:).*$/gm, (_, lead, key, colon) => {
    return `${lead}${key}${colon} ${values[key as string]}`;
  });
}
