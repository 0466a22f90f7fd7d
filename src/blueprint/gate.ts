import type { ProjectModel, SessionModel } from '../model/model.ts';
import { docStarted } from '../model/progress.ts';
import type { Stage } from '../pipeline/stages.ts';
import { stageOfKind } from '../pipeline/stages.ts';
import { createdDate, readRecord } from '../sessions/record.ts';
import { CLASSIFICATIONS, type Claim, type Evidence, statementKey } from './claims.ts';
import { contradictingLines } from './contradiction.ts';

/** Upstream's promotion tests, plus the two a file-based gate needs (source exists, not promoted yet). */
export type GateTest =
  | 'SOURCE_NOT_FOUND'
  | 'ALREADY_PROMOTED'
  | 'NOT_CONSTITUTIONAL'
  | 'INSUFFICIENT_SESSION_DIVERSITY'
  | 'INSUFFICIENT_STAGE_DIVERSITY'
  | 'DUPLICATE_STATEMENT'
  | 'NO_FEEDBACK_EVIDENCE'
  | 'CONTRADICTED_BY_FEEDBACK'
  | 'INSUFFICIENT_TEMPORAL_STABILITY';

export interface PromotionDecision {
  status: 'ALLOW' | 'DENY';
  failed: { test: GateTest; detail: string }[];
  sessions: string[];
  stages: Stage[];
  /** Feedback docs read as evidence. */
  feedback: string[];
}

export interface PromotionInput {
  project: ProjectModel;
  claim: string;
  classification: string;
  sources: Evidence[];
  /** Claims already in the blueprint. */
  existing: readonly Claim[];
  minDays: number;
  /** Text of a workspace-relative doc (the gate reads evidence and feedback docs through it). */
  readText(path: string): string | undefined;
  /** Whether to apply the convergence tests (diversity, feedback, time): `declare` does not. */
  convergence: boolean;
}

const DAY_MS = 86_400_000;

/** A doc's first sentence of substance: what upstream compares to catch copied evidence. */
function firstStatement(text: string): string {
  for (const raw of text.split('\n')) {
    const line = raw.trim().replace(/^[-*+]\s+/, '');
    if (!line || line.startsWith('#') || line.includes('[REQUIRES INPUT]') || line.length < 20) continue;
    return statementKey(line);
  }
  return '';
}

/** Evaluate a claim against the promotion gate. Pure but for `readText`, which the caller supplies. */
export function evaluatePromotion(input: PromotionInput): PromotionDecision {
  const failed: PromotionDecision['failed'] = [];
  const fail = (test: GateTest, detail: string) => failed.push({ test, detail });
  const found: { session: SessionModel; stage: Stage; path: string }[] = [];
  for (const source of input.sources) {
    const session = input.project.sessions.find((s) => s.name === source.session);
    for (const stage of source.stages) {
      const doc = session?.docs.find(
        (d) => stageOfKind(d.kind) === stage && d.kind !== 'test-plan' && docStarted(d.facts),
      );
      if (session && doc) found.push({ session, stage, path: doc.path });
      else fail('SOURCE_NOT_FOUND', `${source.session}:${stage} has no doc with content`);
    }
  }
  const key = statementKey(input.claim);
  const twin = input.existing.find((c) => c.status === 'active' && statementKey(c.text) === key);
  if (twin) fail('ALREADY_PROMOTED', `claim #${twin.id} already states it`);
  if (!(CLASSIFICATIONS as readonly string[]).includes(input.classification))
    fail('NOT_CONSTITUTIONAL', `${input.classification} is not one of ${CLASSIFICATIONS.join(', ')}`);
  const sessions = [...new Set(found.map((f) => f.session.name))].sort();
  const stages = [...new Set(found.map((f) => f.stage))].sort();
  const feedback = sessionsFeedback(input.project, sessions);
  if (input.convergence) {
    if (sessions.length < 2)
      fail('INSUFFICIENT_SESSION_DIVERSITY', `evidence from ${sessions.length} session(s); 2 needed`);
    if (stages.length < 2)
      fail('INSUFFICIENT_STAGE_DIVERSITY', `evidence from ${stages.length} stage(s); 2 needed`);
    const firsts = found.map((f) => firstStatement(input.readText(f.path) ?? '')).filter(Boolean);
    if (new Set(firsts).size < firsts.length)
      fail('DUPLICATE_STATEMENT', 'two evidence docs open with the same statement: copied, not converged');
    if (feedback.length === 0) fail('NO_FEEDBACK_EVIDENCE', 'no source session has feedback with content');
    const dates = found.map((f) => createdDate(readRecord(f.session)));
    const known = dates.filter((d): d is Date => d !== undefined).map((d) => d.getTime());
    if (known.length < dates.length)
      fail(
        'INSUFFICIENT_TEMPORAL_STABILITY',
        'a source session has no creation date (session.json created_at or meta.md created)',
      );
    else if (known.length && (Math.max(...known) - Math.min(...known)) / DAY_MS < input.minDays)
      fail('INSUFFICIENT_TEMPORAL_STABILITY', `evidence spans less than ${input.minDays} day(s)`);
  }
  for (const path of feedback) {
    const lines = contradictingLines(input.readText(path) ?? '', { text: input.claim });
    if (lines.length) fail('CONTRADICTED_BY_FEEDBACK', `${path}:${lines[0]} contradicts it`);
  }
  return { status: failed.length ? 'DENY' : 'ALLOW', failed, sessions, stages, feedback };
}

/** Started feedback docs of the named sessions. */
export function sessionsFeedback(project: ProjectModel, sessions: readonly string[]): string[] {
  return project.sessions
    .filter((s) => sessions.includes(s.name))
    .flatMap((s) => s.docs.filter((d) => d.kind === 'feedback' && docStarted(d.facts)).map((d) => d.path));
}
