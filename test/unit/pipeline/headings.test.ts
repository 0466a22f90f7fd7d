import { describe, expect, it } from 'vitest';
import { compileSection, headingKey, headingMatches } from '../../../src/pipeline/headings.ts';
import { templateSection } from '../../../src/rules/required-sections.ts';

describe('headingKey', () => {
  it.each([
    ['2. Risks & Unknowns', 'risk unknown'],
    ['7. Assumptions, Constraints, Dependencies', 'assumption constraint dependency'],
    ['**Success Criteria** (measurable)', 'success criteria'],
    ['User Scenarios & Testing *(mandatory)*', 'user scenario testing'],
    ['Non-Functional Requirements', 'nonfunctional requirement'],
    ['IV. Stories', 'story'],
    ['Status', 'status'],
  ])('%s → %s', (text, key) => {
    expect(headingKey(text)).toBe(key);
  });
});

describe('headingMatches', () => {
  const matches = (heading: string, kind: Parameters<typeof templateSection>[0], title: string) =>
    headingMatches(headingKey(heading), templateSection(kind, title));

  it('accepts synonyms, combined headings and parts as whole words', () => {
    expect(matches('Goals', 'intent', 'Goal')).toBe(true);
    expect(
      matches(
        '7. Assumptions, Constraints, Dependencies',
        'spec',
        'Assumptions / Constraints / Dependencies',
      ),
    ).toBe(true);
    expect(matches('Technical Environment', 'context', 'Environment')).toBe(true);
    expect(matches('1. Phased delivery', 'plan', 'Phases')).toBe(true);
    expect(matches('Stakeholders', 'intent', 'Stakeholders / Users')).toBe(true);
    expect(matches('Requirements', 'spec', 'Functional Requirements')).toBe(true);
  });

  it('keeps near misses apart', () => {
    expect(matches('Non-Functional Requirements', 'spec', 'Functional Requirements')).toBe(false);
    expect(matches('Goalkeeping', 'intent', 'Goal')).toBe(false);
    expect(matches('Timeline', 'intent', 'Time / Priority')).toBe(true);
    expect(matches('Time-boxing notes', 'plan', 'Phases')).toBe(false);
    expect(matches('Functional Requirements', 'spec', 'Non-Functional Requirements')).toBe(false);
  });

  it('matches a literal section by its names only', () => {
    const requirements = compileSection({ title: 'Requirements', names: ['=Requirements'], literal: true });
    expect(headingMatches(headingKey('Requirements *(mandatory)*'), requirements)).toBe(true);
    expect(headingMatches(headingKey('Non-Functional Requirements'), requirements)).toBe(false);
  });
});
