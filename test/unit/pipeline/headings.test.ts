import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileSection, headingKey, headingMatches, withoutRemark } from '../../../src/pipeline/headings.ts';
import { templateSection } from '../../../src/rules/required-sections.ts';
import { ADVERSARIAL_MS, msToRun } from './elapsed.ts';

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

describe('withoutRemark', () => {
  const REMARK = /\s*[*_]*\([^()]*\)[*_]*\s*$/;

  it('removes what the remark regex removes, on any mix of the characters it reads', () => {
    const text = fc
      .array(fc.constantFrom(' ', '\u00a0', '\t', '*', '_', '(', ')', 'a', 'b'), { maxLength: 24 })
      .map((chars) => chars.join(''));
    fc.assert(
      fc.property(text, (t) => {
        expect(withoutRemark(t)).toBe(t.replace(REMARK, ''));
      }),
      { numRuns: 5_000 },
    );
  });

  it('takes linear time on a heading of 30,000 spaces or marks', () => {
    for (const run of ['\u00a0', ' ', '*', '(', '_(']) {
      const heading = `${run.repeat(30_000)} (remark)`;
      expect(msToRun(() => headingKey(heading))).toBeLessThan(ADVERSARIAL_MS / 10);
    }
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
