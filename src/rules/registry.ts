import agentRegistry from './agent-registry.ts';
import blueprintClaimEvidence from './blueprint-claim-evidence.ts';
import blueprintEvidenceGone from './blueprint-evidence-gone.ts';
import brokenLink from './broken-link.ts';
import closedSessionFeedback from './closed-session-feedback.ts';
import completeWithOpenTasks from './complete-with-open-tasks.ts';
import currentSession from './current-session.ts';
import docNotStarted from './doc-not-started.ts';
import docTooComplex from './doc-too-complex.ts';
import duplicateBlueprintClaim from './duplicate-blueprint-claim.ts';
import duplicateDoc from './duplicate-doc.ts';
import duplicateId from './duplicate-id.ts';
import emptySection from './empty-section.ts';
import feedbackUnlinked from './feedback-unlinked.ts';
import fileUnreadable from './file-unreadable.ts';
import instructionExtraction from './instruction-extraction.ts';
import instructionLeakage from './instruction-leakage.ts';
import invalidEncoding from './invalid-encoding.ts';
import invalidFrontMatter from './invalid-front-matter.ts';
import layout from './layout.ts';
import lineageCycle from './lineage-cycle.ts';
import metadataDisagreement from './metadata-disagreement.ts';
import misplacedSession from './misplaced-session.ts';
import ownerMissing from './owner-missing.ts';
import parentSessionMissing from './parent-session-missing.ts';
import planBeforeTasks from './plan-before-tasks.ts';
import requiredDoc from './required-doc.ts';
import requiredSection from './required-section.ts';
import requirementWithoutTask from './requirement-without-task.ts';
import requirementWithoutTest from './requirement-without-test.ts';
import type { Rule } from './rule.ts';
import secretInDoc from './secret-in-doc.ts';
import sessionBoundary from './session-boundary.ts';
import sessionMetadata from './session-metadata.ts';
import specNotTracedToIntent from './spec-not-traced-to-intent.ts';
import specWithoutIds from './spec-without-ids.ts';
import taskShape from './task-shape.ts';
import taskWithoutRequirement from './task-without-requirement.ts';
import templateScaffold from './template-scaffold.ts';
import truncatedDoc from './truncated-doc.ts';
import unknownDesignComponent from './unknown-design-component.ts';
import unknownRequirement from './unknown-requirement.ts';
import unknownTask from './unknown-task.ts';
import unresolvedInput from './unresolved-input.ts';

/** Every rule, in code order. Codes are never reused: a retired rule leaves a gap. */
export const RULES: readonly Rule[] = [
  fileUnreadable,
  invalidEncoding,
  invalidFrontMatter,
  layout,
  currentSession,
  sessionMetadata,
  requiredDoc,
  requiredSection,
  emptySection,
  unresolvedInput,
  duplicateId,
  requirementWithoutTask,
  unknownRequirement,
  taskWithoutRequirement,
  requirementWithoutTest,
  unknownTask,
  feedbackUnlinked,
  specNotTracedToIntent,
  planBeforeTasks,
  taskShape,
  closedSessionFeedback,
  brokenLink,
  secretInDoc,
  sessionBoundary,
  instructionLeakage,
  instructionExtraction,
  unknownDesignComponent,
  docTooComplex,
  duplicateDoc,
  docNotStarted,
  templateScaffold,
  truncatedDoc,
  misplacedSession,
  specWithoutIds,
  parentSessionMissing,
  lineageCycle,
  completeWithOpenTasks,
  ownerMissing,
  metadataDisagreement,
  blueprintClaimEvidence,
  duplicateBlueprintClaim,
  blueprintEvidenceGone,
  agentRegistry,
];

/** Codes and names, the keys a config's `rules:` may use. */
export const RULE_KEYS: ReadonlySet<string> = new Set(RULES.flatMap((r) => [r.code, r.name]));

/**
 * What of a rule set its findings depend on besides each rule's code: names and severities. A run
 * memo keyed by it is not answered after a rule was added, removed or re-graded.
 */
export const rulesetOf = (rules: readonly Rule[]): unknown =>
  rules.map((r) => [r.code, r.name, r.defaultSeverity, r.strictSeverity]);

export const findRule = (key: string): Rule | undefined =>
  RULES.find((r) => r.code === key || r.name === key);
