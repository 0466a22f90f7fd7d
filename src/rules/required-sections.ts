import type { Config } from '../config/schema.ts';
import type { DocKind } from '../pipeline/stages.ts';

/** The H2 sections of our templates (compatible with the upstream IDSE templates). */
export const TEMPLATE_SECTIONS: Readonly<Partial<Record<DocKind, readonly string[]>>> = {
  intent: [
    'Goal',
    'Problem / Opportunity',
    'Stakeholders / Users',
    'Success Criteria',
    'Constraints / Assumptions / Risks',
    'Scope',
    'Time / Priority',
  ],
  context: ['Environment', 'Stack', 'Constraints', 'Risks & Unknowns'],
  spec: [
    'Overview',
    'User Stories',
    'Functional Requirements',
    'Non-Functional Requirements',
    'Acceptance Criteria',
    'Assumptions / Constraints / Dependencies',
    'Open Questions',
    'Agent Profile',
  ],
  plan: ['Architecture Summary', 'Components', 'Data Model', 'API Contracts', 'Test Strategy', 'Phases'],
  'test-plan': ['Scope', 'Strategy', 'Test Cases', 'Environments', 'Exit Criteria'],
  implementation: [
    'Architecture',
    'What Was Built',
    'Validation Reports',
    'Deviations from Plan',
    'Component Impact Report',
  ],
  feedback: [
    'External / Internal Feedback',
    'Impacted Artifacts',
    'Risks / Issues Raised',
    'Actions / Follow-ups',
    'Decision Log',
  ],
};

export const requiredSections = (config: Config, kind: DocKind): readonly string[] =>
  config.sections[kind] ?? TEMPLATE_SECTIONS[kind] ?? [];
