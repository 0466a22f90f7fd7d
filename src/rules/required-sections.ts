import type { Config } from '../config/schema.ts';
import { compileSection, type SectionMatcher, type SectionSpec } from '../pipeline/headings.ts';
import type { DocKind } from '../pipeline/stages.ts';

/** One template's required sections for a kind of doc. A doc is checked against the family it fits best. */
export interface SectionFamily {
  name: string;
  sections: readonly SectionSpec[];
}

const s = (title: string, ...names: string[]): SectionSpec => ({ title, names });
/** A section matched by these names only, so another family's headings do not complete it by accident. */
const only = (title: string, ...names: string[]): SectionSpec => ({ title, names, literal: true });

/**
 * The H2 sections of the template families a doc may follow: ours and the two upstream families
 * (idse-orchestrator's `resources/templates`, the agency's `docs/kb/templates`), which agree on every
 * required section (`## Agent Profile` and the plan's `0. Product Overview` are optional), and
 * spec-kit's. The names after each title are the synonyms docs/rules/IDSE008.md lists; keep them in step.
 */
export const TEMPLATE_FAMILIES: Readonly<Partial<Record<DocKind, readonly SectionFamily[]>>> = {
  intent: [
    {
      name: 'IDSE',
      sections: [
        s('Goal', 'Objective', 'Purpose', 'Mission', 'Aim'),
        s('Problem / Opportunity', 'Motivation', 'Background'),
        s('Stakeholders / Users', 'Personas', 'Actors', 'Audience', 'Customers'),
        s('Success Criteria', 'Success', 'Metrics', 'KPIs', 'Outcomes', 'Definition of Done'),
        s('Constraints / Assumptions / Risks', 'Limitations'),
        s('Scope', 'Non-Goals', 'Boundaries'),
        s('Time / Priority', 'Timeline', 'Deadline', 'Schedule', 'Urgency'),
      ],
    },
  ],
  context: [
    {
      name: 'IDSE',
      sections: [
        s('Environment', 'Ecosystem', 'Domain', 'Product Context'),
        s('Stack', 'Technology', 'Tech', 'Tooling', 'Platform', 'Technical Context'),
        s('Constraints', 'Limitations'),
        s('Risks & Unknowns', 'Open Questions'),
      ],
    },
  ],
  spec: [
    {
      name: 'IDSE',
      sections: [
        s('Overview', 'Summary', 'Introduction', 'Purpose', 'Background', 'Description'),
        s('User Stories', 'Stories', 'User Scenarios', 'Scenarios', 'Use Cases', 'User Journeys'),
        s('Functional Requirements', '=Requirements', 'Capabilities', 'Features'),
        s('Non-Functional Requirements', 'Non-Functional', 'NFRs', 'Quality Attributes'),
        s(
          'Acceptance Criteria',
          'Acceptance',
          'Success Criteria',
          'Measurable Outcomes',
          'Definition of Done',
        ),
        s('Assumptions / Constraints / Dependencies'),
        s('Open Questions', 'Questions', 'Clarifications', 'Open Issues', 'Unknowns'),
      ],
    },
    {
      name: 'spec-kit',
      sections: [
        only('User Scenarios & Testing', 'User Scenarios'),
        only('Requirements', '=Requirements', 'Functional Requirements'),
        only('Success Criteria', 'Success Criteria', 'Measurable Outcomes'),
      ],
    },
  ],
  plan: [
    {
      name: 'IDSE',
      sections: [
        s('Architecture Summary', 'Architecture', 'Technical Context', 'Technical Approach', 'System Design'),
        s('Components', 'Modules', 'Services', 'Project Structure', 'Structure'),
        s('Data Model', 'Data', 'Schema', 'Entities', 'Storage'),
        s('API Contracts', 'API', 'Contracts', 'Interfaces', 'Endpoints', 'CLI'),
        s('Test Strategy', 'Testing', 'Tests', 'Validation', 'Verification'),
        s('Phases', 'Phased', 'Milestones', 'Roadmap', 'Delivery', 'Rollout', 'Work Breakdown'),
      ],
    },
    {
      name: 'spec-kit',
      sections: [
        only('Summary', '=Summary'),
        only('Technical Context', 'Technical Context'),
        only('Project Structure', 'Project Structure'),
      ],
    },
  ],
  'test-plan': [
    {
      name: 'idse init',
      sections: [
        s('Scope', 'Overview'),
        s('Strategy', 'Approach', 'Test Types'),
        s('Test Cases', 'Cases', 'Scenarios', 'Coverage', 'Test Matrix'),
        s('Environments', 'Environment'),
        s('Exit Criteria', 'Success Criteria', 'Acceptance', 'Definition of Done'),
      ],
    },
    {
      name: 'upstream',
      sections: [
        s('Overview', 'Scope', 'Summary', 'Introduction'),
        s('Test Objectives', 'Objectives', 'Goals'),
        s('Test Types and Approach', 'Strategy', 'Methods'),
        s('Test Environment', 'Environments', 'Setup'),
        s('Test Data', 'Data', 'Fixtures'),
        s('Success Criteria', 'Exit Criteria', 'Acceptance', 'Pass Criteria', 'Definition of Done'),
        s('Reporting', 'Reports', 'Results'),
      ],
    },
  ],
  implementation: [
    {
      name: 'IDSE',
      sections: [
        s('Architecture', 'Design', 'Overview'),
        s(
          'What Was Built',
          'What We Implemented',
          'Built',
          'Implemented',
          'Changes',
          'Deliverables',
          'Summary',
        ),
        s('Validation Reports', 'Validation', 'Tests', 'Test Results', 'Verification'),
        s('Deviations from Plan', 'Deviations', 'Divergence'),
        s('Component Impact Report', 'Component Impact', 'Components'),
      ],
    },
  ],
  feedback: [
    {
      name: 'IDSE',
      sections: [
        s('External / Internal Feedback', 'Feedback', 'Review', 'Lessons Learned', 'Observations'),
        s('Impacted Artifacts', 'Impact', 'Artifacts', 'Affected'),
        s('Risks / Issues Raised', 'Risks', 'Issues', 'Concerns', 'Residuals'),
        s('Actions / Follow-ups', 'Next Steps', 'Recommendations', 'Future Work', 'TODO'),
        s('Decision Log', 'Decisions', 'ADR'),
      ],
    },
  ],
};

export interface CompiledFamily {
  name: string;
  sections: readonly SectionMatcher[];
}

const compiled = new Map<DocKind, readonly CompiledFamily[]>();

/** The built-in families of a kind, compiled once. */
function builtInFamilies(kind: DocKind): readonly CompiledFamily[] {
  let families = compiled.get(kind);
  if (!families) {
    families = (TEMPLATE_FAMILIES[kind] ?? []).map((f) => ({
      name: f.name,
      sections: f.sections.map(compileSection),
    }));
    compiled.set(kind, families);
  }
  return families;
}

const BY_TITLE = new Map(
  Object.values(TEMPLATE_FAMILIES)
    .flat()
    .flatMap((f) => f.sections)
    .map((spec) => [spec.title.toLowerCase(), spec]),
);

/**
 * The families a kind of doc may follow. A config's `sections:` list replaces them with one family;
 * a title it shares with a template section keeps that section's synonyms.
 */
export function sectionFamilies(config: Config, kind: DocKind): readonly CompiledFamily[] {
  const own = config.sections[kind];
  if (!own) return builtInFamilies(kind);
  const sections = own.map((title) => compileSection(BY_TITLE.get(title.toLowerCase()) ?? s(title)));
  return [{ name: 'config', sections }];
}

/** A built-in template section of a kind, by title (for rules that look for one section). */
export function templateSection(kind: DocKind, title: string): SectionMatcher {
  const section = builtInFamilies(kind)
    .flatMap((f) => f.sections)
    .find((x) => x.title === title);
  if (!section) throw new Error(`no template section '${title}' for ${kind}`);
  return section;
}
