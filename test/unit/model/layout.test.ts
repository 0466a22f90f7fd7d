import { describe, expect, it } from 'vitest';
import { parseCurrentSession } from '../../../src/model/current-session.ts';
import { classifyPath } from '../../../src/model/layout.ts';

describe('classifyPath', () => {
  it.each([
    ['projects/p/sessions/s/specs/spec.md', 'doc', 'spec', 'stage-folders'],
    ['.idse/projects/p/sessions/s/plans/test-plan.md', 'doc', 'test-plan', 'stage-folders'],
    ['projects/p/sessions/s/feedback/round-2.md', 'doc', 'feedback', 'stage-folders'],
    ['projects/p/sessions/s/spec.md', 'doc', 'spec', 'flat'],
    ['intents/projects/p/sessions/s/intent.md', 'doc', 'intent', 'stage-rooted'],
  ])('%s is a %s doc of kind %s (%s layout)', (path, role, kind, layout) => {
    expect(classifyPath(path)).toMatchObject({ role, kind, layout, project: 'p', session: 's' });
  });

  it('knows session files, project files, strays and everything else', () => {
    expect(classifyPath('projects/p/sessions/s/metadata/session.json')).toMatchObject({
      role: 'session-file',
      name: 'session.json',
    });
    expect(classifyPath('projects/p/CURRENT_SESSION')).toMatchObject({
      role: 'project-file',
      project: 'p',
      name: 'CURRENT_SESSION',
    });
    expect(classifyPath('projects/p/sessions/s/notes/idea.md')).toMatchObject({
      role: 'stray-doc',
      session: 's',
    });
    expect(classifyPath('README.md')).toEqual({ role: 'other' });
    expect(classifyPath('docs/projects/readme.md')).toEqual({ role: 'other' });
  });

  it('reads a session folder sitting directly in its project as that session, and nothing else', () => {
    expect(classifyPath('projects/p/status/specs/spec.md')).toMatchObject({
      role: 'doc',
      kind: 'spec',
      layout: 'misplaced',
      session: 'status',
      sessionDir: 'projects/p/sessions/status',
    });
    expect(classifyPath('.idse/projects/p/status/.owner')).toMatchObject({
      role: 'session-file',
      sessionDir: '.idse/projects/p/sessions/status',
      misplacedDir: '.idse/projects/p/status',
    });
    // Plain notes beside sessions/ are not a session, nor are flat names or other files there.
    expect(classifyPath('projects/p/docs/guide.md')).toEqual({ role: 'other' });
    expect(classifyPath('projects/p/docs/spec.md')).toEqual({ role: 'other' });
    expect(classifyPath('projects/p/s-1/REPORTS_INDEX.json')).toEqual({ role: 'other' });
  });
});

describe('parseCurrentSession', () => {
  it('accepts a bare id and the key: value form', () => {
    expect(parseCurrentSession('__blueprint__')).toEqual({ session: '__blueprint__', line: 1 });
    expect(parseCurrentSession('canonical_root: x\nsession_id: auth\nupdated: 2026')).toEqual({
      session: 'auth',
      line: 2,
    });
    expect(parseCurrentSession('\n\n')).toEqual({ line: 1 });
  });
});
