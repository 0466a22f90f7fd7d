import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findMarkers } from '../../../src/pipeline/markers.ts';
import {
  findScaffolds,
  hasRealContent,
  isContentLine,
  isPlaceholderName,
} from '../../../src/pipeline/placeholders.ts';

const kinds = (text: string) => findScaffolds(text).map((h) => [h.kind, h.text]);

describe('findScaffolds', () => {
  it('finds unrendered variables, template placeholders, stub prose and truncation notes', () => {
    expect(kinds('# Implementation: {{ project_name }}')).toEqual([['unrendered', '{{ project_name }}']]);
    expect(kinds('[Describe the architecture of what was implemented]')).toEqual([
      ['placeholder', '[Describe the architecture of what was implemented]'],
    ]);
    expect(kinds('Changes: [brief description] on [DATE] for [FEATURE NAME]')).toEqual([
      ['placeholder', '[brief description]'],
      ['placeholder', '[DATE]'],
      ['placeholder', '[FEATURE NAME]'],
    ]);
    expect(kinds('Placeholder spec for editor-v2 session (projects-root canonical).')).toEqual([
      ['stub', 'Placeholder spec for editor-v2 session'],
    ]);
    expect(
      kinds('Complete spec to be authored; this placeholder satisfies validator structure only.'),
    ).toEqual([['stub', 'satisfies validator']]);
    expect(
      kinds('- Placeholder test plan for milkdown-crepe-v2 session to satisfy pipeline validators.'),
    ).toEqual([
      ['stub', 'Placeholder test plan for milkdown-crepe-v2 session'],
      ['stub', 'satisfy pipeline validators'],
    ]);
    expect(kinds('(rest of spec content unchanged)')).toEqual([
      ['truncated', '(rest of spec content unchanged)'],
    ]);
    expect(kinds('<!-- remaining sections as before -->')).toEqual([
      ['truncated', '<!-- remaining sections as before -->'],
    ]);
  });

  it('leaves near misses alone', () => {
    for (const text of [
      'We add a placeholder page for each session.',
      '[x] done, [P] parallel, [invariant] SQLite is the store, [REQUIRES INPUT]',
      'Intent: no content change; the rest of the plan stays as written.',
      'Spec: unchanged (FR-2 still holds).',
      'The {{ braces }} stay literal in code only.'.replace('{{ braces }}', '{ braces }'),
    ])
      expect(kinds(text), text).toEqual([]);
  });

  it('knows placeholder names from real ones', () => {
    expect(
      ['ComponentName', 'NewComponentName', 'ExampleComponent', 'PrimitiveName'].map(isPlaceholderName),
    ).toEqual([true, true, true, true]);
    expect(['ExportJob', 'Name', 'BillingExport', 'FR-1'].map(isPlaceholderName)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });
});

describe('isContentLine', () => {
  it('knows the lines of the upstream templates by fingerprint, whatever their markup', () => {
    const corpus = new URL(
      '../../fixtures/corpus/idse-orchestrator/.idse/projects/idse-orchestrator/sessions/item8-test-session/contexts/context.md',
      import.meta.url,
    );
    const lines = readFileSync(corpus, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '' && !l.startsWith('#'));
    expect(lines.length).toBeGreaterThan(10);
    expect(lines.filter(isContentLine)).toEqual([]);
    // Re-marked-up, the same template line is still the template's.
    expect(isContentLine('* **Frontend:** Frameworks, state management, styling')).toBe(false);
    expect(isContentLine('- **Frontend:** React 18 with Vite.')).toBe(true);
  });

  it('treats markers, TODOs, ellipses, empty labels and scaffolds as no content', () => {
    for (const line of [
      '- [REQUIRES INPUT]',
      '- TODO: owner',
      '- FR-1 ...',
      '- Assumptions:',
      '- **In scope:**',
      '[Summary of work]',
      '---',
    ])
      expect(isContentLine(line), line).toBe(false);
    expect(isContentLine('- Assumptions: the replica lags by under a minute.')).toBe(true);
  });

  it('skips scaffold header lines only when asked', () => {
    expect(hasRealContent('Project: atlas\nStack: python\nCreated: 2026-02-04')).toBe(true);
    expect(hasRealContent('Project: atlas\nStack: python\nCreated: 2026-02-04', { headers: true })).toBe(
      false,
    );
  });
});

describe('findMarkers', () => {
  const found = (text: string) => findMarkers(text, 0, text.length).map(([a, b]) => text.slice(a, b));

  it('keeps bare markers and leaves prose that talks about them', () => {
    expect(found('Deadline: [REQUIRES INPUT]')).toEqual(['[REQUIRES INPUT]']);
    expect(found('within **[REQUIRES INPUT]** ms')).toEqual(['[REQUIRES INPUT]']);
    expect(found('## Open Questions [REQUIRES INPUT]')).toEqual(['[REQUIRES INPUT]']);
    expect(found('auth via [NEEDS CLARIFICATION: SSO?]')).toEqual(['[NEEDS CLARIFICATION: SSO?]']);
    expect(found('placeholders marked "[REQUIRES INPUT]" block sign-off')).toEqual([]);
    expect(found('No [NEEDS CLARIFICATION] markers remain')).toEqual([]);
    expect(found("counts '[REQUIRES INPUT]' alike; no [REQUIRES INPUT] is left")).toEqual([]);
    expect(found('any [REQUIRES INPUT] placeholders')).toEqual([]);
  });
});
