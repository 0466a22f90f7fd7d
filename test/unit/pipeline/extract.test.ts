import { describe, expect, it } from 'vitest';
import { extractFacts } from '../../../src/pipeline/extract.ts';
import { DEFAULT_ID_PATTERNS } from '../../../src/pipeline/ids.ts';

const facts = (md: string) => extractFacts(md, { ids: DEFAULT_ID_PATTERNS });

describe('extractFacts', () => {
  it('finds headings with numbering-free keys, emptiness and section ends', () => {
    const f = facts(
      '# Intent: x\n\n## 1. Goal\n\nShip it.\n\n## Scope\n<!-- guidance -->\n\n## Time / Priority\n- TODO\n',
    );
    expect(f.title).toBe('Intent: x');
    expect(f.headings.map((h) => [h.depth, h.key, h.empty, h.filled, h.span[0], h.endLine])).toEqual([
      [1, 'intent x', false, true, 1, 12],
      [2, 'goal', false, true, 3, 6],
      [2, 'scope', true, false, 7, 9],
      [2, 'time priority', false, false, 10, 12],
    ]);
  });

  it('reports markers outside code only, with exact positions', () => {
    const f = facts(
      'Fill [REQUIRES INPUT] here.\n\n`[REQUIRES INPUT]` is the marker.\n\n```\n[REQUIRES INPUT]\n```\n\n- [NEEDS CLARIFICATION: auth?]\n',
    );
    expect(f.markers).toEqual([
      [1, 6, 1, 22],
      [9, 3, 9, 31],
    ]);
  });

  it('tells defined IDs (leading) from cited ones and normalises FR-001 to FR-1', () => {
    const f = facts(
      '### FR-001: Login\n\n- **NFR-2**: fast\n- AC-1: works (see FR-1)\n\n| SC-3 | text |\n|---|---|\n',
    );
    expect(f.ids.map((i) => [i.id, i.key, i.leading])).toEqual([
      ['FR-001', 'FR-1', true],
      ['NFR-2', 'NFR-2', true],
      ['AC-1', 'AC-1', true],
      ['FR-1', 'FR-1', false],
      ['SC-3', 'SC-3', true],
    ]);
  });

  it('reads both upstream task styles with owner, deps, acceptance, [P] and phase', () => {
    const f = facts(
      [
        '## Phase 1 – Core',
        '- [ ] Task 1.2 – Build it [P] (Owner: implementer) (Deps: Tasks 1.0, 1.1) (Acceptance: FR-1 passes)',
        '- [x] Task 1.3 — Nested style',
        '  - Owner: @codex',
        '  - Deps: 2.1-2.4, Phase 0',
        '  - Acceptance: AC-2',
        '  - [ ] sub step',
        '- [ ] T012 [P] Spec-kit style @claude',
      ].join('\n'),
    );
    const tasks = f.tasks.map(({ span, ...t }) => ({ ...t, line: span[0] }));
    expect(tasks).toEqual([
      {
        label: 'Task 1.2',
        key: '1.2',
        text: 'Task 1.2 – Build it [P] (Owner: implementer) (Deps: Tasks 1.0, 1.1) (Acceptance: FR-1 passes)',
        checked: false,
        parallel: true,
        owner: 'implementer',
        deps: [
          { kind: 'task', key: '1.0', text: 'Tasks 1.0' },
          { kind: 'task', key: '1.1', text: '1.1' },
        ],
        acceptance: 'FR-1 passes',
        phase: 'Phase 1 – Core',
        line: 2,
      },
      {
        label: 'Task 1.3',
        key: '1.3',
        text: 'Task 1.3 — Nested style',
        checked: true,
        parallel: false,
        owner: '@codex',
        deps: [
          { kind: 'range', from: '2.1', to: '2.4', text: '2.1-2.4' },
          { kind: 'phase', phase: '0', text: 'Phase 0' },
        ],
        acceptance: 'AC-2',
        phase: 'Phase 1 – Core',
        line: 3,
      },
      { text: 'sub step', checked: false, parallel: false, phase: 'Phase 1 – Core', parent: 1, line: 7 },
      {
        label: 'T012',
        key: 'T12',
        text: 'T012 [P] Spec-kit style @claude',
        checked: false,
        parallel: true,
        owner: '@claude',
        phase: 'Phase 1 – Core',
        line: 8,
      },
    ]);
    expect(f.ids.filter((i) => i.task !== undefined).map((i) => [i.key, i.task])).toEqual([
      ['FR-1', 0],
      ['AC-2', 1],
    ]);
  });

  it('parses front matter and refuses YAML alias bombs without hanging', () => {
    expect(facts('---\nstatus: draft\ntags: [a]\n---\n# T\n').frontMatter?.data).toEqual({
      status: 'draft',
      tags: ['a'],
    });
    const bomb = ['---', 'a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 0; i < 12; i++)
      bomb.push(
        `${'bcdefghijklm'[i]}: &${'bcdefghijklm'[i]} [${Array(9)
          .fill(`*${i === 0 ? 'a' : 'bcdefghijklm'[i - 1]}`)
          .join(',')}]`,
      );
    bomb.push('---', '# T');
    const f = facts(bomb.join('\n'));
    expect(f.frontMatter?.error).toMatch(/alias/i);
    expect(facts('---\nkey: [unclosed\n---\n').frontMatter?.error).toBeTruthy();
  });

  it('collects links, task references, suppressions and secrets', () => {
    const f = facts(
      '[intent](../intents/intent.md) and Task 0.1\n\n<!-- idse-disable-next-line IDSE010, empty-section -->\nkey AKIAABCDEFGHIJKLMNOP\n',
    );
    expect(f.links.map((l) => l.url)).toEqual(['../intents/intent.md']);
    expect(f.taskRefs.map((r) => [r.key, r.span[0]])).toEqual([['0.1', 1]]);
    expect(f.suppressions).toEqual([
      { kind: 'disable-next-line', rules: ['IDSE010', 'empty-section'], line: 4 },
    ]);
    expect(f.secrets.map((s) => [s.kind, s.span[0], s.span[1]])).toEqual([['AWS access key ID', 4, 5]]);
  });

  it('reads agency task IDs: T0.1 items, [x] T5.1 paragraphs with their field list, Task POC-1', () => {
    const f = facts(
      [
        '## Phase 0',
        '- T0.1: Service scaffold (Owner: codex) — done',
        '- [x] T5.1: API client',
        '  - Owner: claude-code',
        '',
        '[x] T5.2: Modal editor',
        '- Owner: claude-code',
        '- Acceptance: backdrop click asks first',
        '',
        '[x] T5.3: Not the owner of the list below',
        '- [ ] Task POC-1: spike (Owner: ...) (Deps: T0.1, Task POC-0)',
        '- Plain bullet, not a task',
      ].join('\n'),
    );
    expect(f.tasks.map((t) => [t.label, t.key, t.checked, t.owner ?? null, t.acceptance ?? null])).toEqual([
      ['T0.1', '0.1', true, 'codex', null],
      ['T5.1', '5.1', true, 'claude-code', null],
      ['T5.2', '5.2', true, 'claude-code', 'backdrop click asks first'],
      ['T5.3', '5.3', true, null, null],
      ['Task POC-1', 'POC-1', false, '...', null],
    ]);
    expect(f.tasks[4]!.parent).toBeUndefined();
    expect(f.tasks[4]!.deps?.map((d) => (d.kind === 'task' ? d.key : d.kind))).toEqual(['0.1', 'POC-0']);
  });

  it('reads task citations in prose in every upstream style, not requirement IDs', () => {
    const f = facts('Fixed in T5.1, Task POC-1, Task 1.2 and T012; Task FR-1 is a requirement.\n');
    expect(f.taskRefs.map((r) => [r.label, r.key])).toEqual([
      ['T5.1', '5.1'],
      ['Task POC-1', 'POC-1'],
      ['Task 1.2', '1.2'],
      ['T012', 'T12'],
    ]);
  });

  it('knows a legacy pointer stub and where it points', () => {
    const stub = facts(
      '# Legacy path notice\nCanonical location: projects/p/sessions/s/intents/intent.md\nStatus: Legacy\n',
    );
    expect(stub.pointer).toEqual({ target: 'projects/p/sessions/s/intents/intent.md', span: [2, 21, 2, 60] });
    expect(facts('# Intent\n\n## Goal\n\nMoved to: nothing; this is a real doc.\n').pointer).toBeUndefined();
  });

  it('records scaffolds outside code, with positions', () => {
    const f = facts(
      '# Implementation: {{ project_name }}\n\n- **ComponentName** (x.py)\n\n`{{ not_this }}`\n\n<!-- rest of the doc unchanged -->\n',
    );
    expect(f.scaffolds.map((s) => [s.kind, s.text, s.span[0]])).toEqual([
      ['unrendered', '{{ project_name }}', 1],
      ['placeholder', '**ComponentName**', 3],
      ['truncated', '<!-- rest of the doc unchanged -->', 7],
    ]);
  });
});
