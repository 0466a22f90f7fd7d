import { describe, expect, it } from 'vitest';
import { withCurrentSession } from '../../../src/sessions/current.ts';
import {
  editMetaFrontMatter,
  editSessionJson,
  withFrontMatter,
  withOwnerLine,
} from '../../../src/sessions/edit.ts';
import { lineageCycles, lineageOf } from '../../../src/sessions/lineage.ts';
import { ownerFileOwner, type SessionRecord } from '../../../src/sessions/record.ts';
import { newStateText, stagesAt, withStages } from '../../../src/sessions/state.ts';
import { isPlaceholderTask } from '../../../src/sessions/tasks.ts';
import { upstreamTimestamp } from '../../../src/sessions/time.ts';

describe('timestamps', () => {
  it('are local time with microseconds and no zone, as Python’s datetime.now().isoformat()', () => {
    const date = new Date(2026, 1, 3, 4, 5, 6, 78);
    expect(upstreamTimestamp(date)).toBe('2026-02-03T04:05:06.078000');
  });
});

describe('CURRENT_SESSION', () => {
  it('keeps the format it has: bare id with or without a final newline, or agency key lines', () => {
    expect(withCurrentSession('__blueprint__', 'pay', 'p/sessions/pay/', 't')).toBe('pay');
    expect(withCurrentSession('kickoff\n', 'pay', 'p/sessions/pay/', 't')).toBe('pay\n');
    expect(withCurrentSession(undefined, 'pay', 'p/sessions/pay/', 't')).toBe('pay\n');
    expect(
      withCurrentSession(
        'session_id: old\ncanonical_root: projects/p/sessions/old/\nupdated: x\nnote: kept\n',
        'pay',
        'projects/p/sessions/pay/',
        '2026-01-01T00:00:00.000000',
      ),
    ).toBe(
      'session_id: pay\ncanonical_root: projects/p/sessions/pay/\nupdated: 2026-01-01T00:00:00.000000\nnote: kept\n',
    );
  });
});

describe('metadata edits', () => {
  it('stamp updated_at and add or drop the override record in session.json', () => {
    const text = '{\n  "session_id": "s",\n  "status": "draft",\n  "updated_at": "old"\n}';
    const override = { status: 'complete', by: 'ana', at: 'now', blocking: ['x'] };
    const forced = editSessionJson(text, { status: 'complete', override }, 'now');
    expect(JSON.parse(forced)).toEqual({
      session_id: 's',
      status: 'complete',
      updated_at: 'now',
      status_override: override,
    });
    expect(editSessionJson(forced, { status: 'in_progress', override: null }, 'later')).toBe(
      '{\n  "session_id": "s",\n  "status": "in_progress",\n  "updated_at": "later"\n}',
    );
  });

  it('set front matter keys in place, comments and order kept, lists in flow style', () => {
    const text = '---\nsession: s\n# who answers for it\nowner: "a"\nstatus: draft\n---\n\n# Session: s\n';
    expect(
      withFrontMatter(text, [
        ['status', 'review'],
        ['tags', ['x', 'y']],
      ]),
    ).toBe(
      '---\nsession: s\n# who answers for it\nowner: "a"\nstatus: review\ntags: [ x, y ]\n---\n\n# Session: s\n',
    );
    expect(withFrontMatter('# Notes\n', [['status', 'draft']])).toBe('---\nstatus: draft\n---\n\n# Notes\n');
    // The override only goes to meta.md when there is no session.json to hold it.
    const override = { status: 'complete', by: 'a', at: 't', blocking: [] };
    expect(editMetaFrontMatter(text, { override }, false)).toBe(text);
    expect(editMetaFrontMatter(text, { override }, true)).toContain('status_override:\n  status: complete\n');
  });

  it('keep the .owner file in step: the Owner line is set or added, Created kept', () => {
    expect(withOwnerLine('Created: t\n', 'ana')).toBe('Created: t\nOwner: ana\n');
    expect(withOwnerLine('Created: t', 'ana')).toBe('Created: t\nOwner: ana\n');
    expect(withOwnerLine('Created: t\nOwner: bob\n', 'ana')).toBe('Created: t\nOwner: ana\n');
    expect(ownerFileOwner('Created: t\nClient ID: acme\n')).toBe('acme');
    expect(ownerFileOwner('tjpilant\n')).toBe('tjpilant');
    expect(ownerFileOwner('Created: 2026-02-02T21:40:24.904024\n')).toBeUndefined();
  });
});

describe('session_state.json', () => {
  it('is written key for key as upstream initialises it, and stages change in place', () => {
    const text = newStateText('demo', 'pay', false, stagesAt('spec'), 't');
    expect(JSON.parse(text)).toEqual({
      project_name: 'demo',
      session_id: 'pay',
      is_blueprint: false,
      stages: {
        intent: 'completed',
        context: 'completed',
        spec: 'in_progress',
        plan: 'pending',
        tasks: 'pending',
        implementation: 'pending',
        feedback: 'pending',
      },
      last_sync: null,
      validation_status: 'unknown',
      created_at: 't',
    });
    expect(Object.keys(JSON.parse(text))).toEqual([
      'project_name',
      'session_id',
      'is_blueprint',
      'stages',
      'last_sync',
      'validation_status',
      'created_at',
    ]);
    const edited = withStages(text, { plan: 'in_progress' });
    expect(edited).toBe(text.replace('"plan": "pending"', '"plan": "in_progress"'));
  });
});

describe('lineage', () => {
  const record = (id: string, parent?: string): SessionRecord => ({
    id,
    isBlueprint: false,
    related: [],
    collaborators: [],
    tags: [],
    files: {},
    ...(parent ? { parent } : {}),
  });
  const records = (...list: SessionRecord[]) => new Map(list.map((r) => [r.id, r]));

  it('walks up to the root and down to the children', () => {
    const all = records(
      record('__blueprint__'),
      record('a', '__blueprint__'),
      record('b', 'a'),
      record('c', 'a'),
    );
    expect(lineageOf(all, 'b')).toEqual({
      parent: 'a',
      ancestors: ['a', '__blueprint__'],
      children: [],
      related: [],
    });
    expect(lineageOf(all, 'a').children).toEqual(['b', 'c']);
    expect(lineageCycles(all)).toEqual([]);
  });

  it('finds each cycle once, from its smallest id, and stops walking in one', () => {
    const all = records(record('b', 'c'), record('c', 'b'), record('x', 'x'), record('d', 'b'));
    expect(lineageCycles(all)).toEqual([['b', 'c'], ['x']]);
    expect(lineageOf(all, 'd').ancestors).toEqual(['b', 'c']);
  });
});

describe('template task lines', () => {
  it('are told apart from tasks somebody can start', () => {
    for (const text of [
      'Task 0.1 – ... (Owner: ...) (Deps: ...) (Acceptance: ...)',
      'Task 1.1 – …',
      'Task 0.1 – [REQUIRES INPUT] (Owner: @claude) (Deps: none) (Acceptance: FR-1)',
      'T012 [P] TODO',
      '[Describe the task]',
    ])
      expect(isPlaceholderTask(text), text).toBe(true);
    for (const text of [
      'Task 0.1 – build the exporter (Owner: @codex)',
      'T012 [P] Add the index',
      'Fix the TODO list page',
    ])
      expect(isPlaceholderTask(text), text).toBe(false);
  });
});
