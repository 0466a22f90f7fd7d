import { describe, expect, it } from 'vitest';
import { readOnlyCommand } from '../../../src/agents/shell.ts';

const reason = (command: string) => {
  const verdict = readOnlyCommand(command);
  return verdict.readOnly ? 'read-only' : verdict.reason;
};

describe('readOnlyCommand', () => {
  it('lets readers through, piped and chained, with output only to /dev/null or another descriptor', () => {
    for (const command of [
      'ls -la',
      'cat specs/spec.md | grep -n "FR-" | head -5',
      'git log --oneline -10 && git status',
      'cd projects/demo; rg -n TODO . 2>&1',
      'find . -name "*.md" -newer x > /dev/null',
      'LC_ALL=C sort -u ids.txt',
      'jq .agents projects/demo/agent_registry.json',
      'idse blueprint verify --json',
      'wc -l < tasks.md',
      '# just a comment',
    ])
      expect({ command, verdict: reason(command) }).toEqual({ command, verdict: 'read-only' });
  });

  it('names what makes a command more than a reader', () => {
    expect(reason('echo hi > notes.md')).toBe('it writes to `notes.md`');
    expect(reason('cat a >> b')).toBe('it writes to `b`');
    expect(reason('ls `rm -rf /`')).toBe('command substitution can run anything');
    expect(reason('diff <(ls a) <(ls b)')).toBe('command substitution can run anything');
    expect(reason('ls && rm -rf build')).toBe('`rm` is not a read-only command');
    expect(reason('find . -exec touch {} ;')).toBe('`find -exec` writes or runs commands');
    expect(reason('rg --pre ./evil.sh x')).toBe('`rg --pre` writes or runs commands');
    expect(reason('sort -o out.txt in.txt')).toBe('`sort -o` writes or runs commands');
    expect(reason('git push origin main')).toBe('`git push` is not a read-only command');
    expect(reason('idse session close s1')).toBe('`idse session` is not a read-only command');
    expect(reason('xargs rm < list')).toBe('`xargs` is not a read-only command');
    expect(reason('FOO=bar')).toBe('it sets shell variables');
    expect(reason('/bin/rm x')).toBe('`rm` is not a read-only command');
    // An unclosed quote is still one word to the tokenizer, as bash would wait for more input.
    expect(reason('ls "unterminated')).toBe('read-only');
  });
});
