import { z } from 'zod';
import { StageSchema } from '../pipeline/stage-schemas.ts';
import type { Stage } from '../pipeline/stages.ts';

/** Upstream's constitutional classes: the only kinds of claim the blueprint accepts. */
export const CLASSIFICATIONS = [
  'invariant',
  'boundary',
  'ownership_rule',
  'non_negotiable_constraint',
] as const;
export const ClassificationSchema = z.enum(CLASSIFICATIONS);
export type Classification = z.infer<typeof ClassificationSchema>;

export const CLAIM_STATUSES = ['active', 'superseded', 'invalidated'] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

/** A session's doc of one of these stages backs a claim. */
export interface Evidence {
  session: string;
  stages: Stage[];
}

export interface Reinforcement {
  source: Evidence;
  date?: string;
  actor?: string;
}

export interface Claim {
  /** 1-based position in the append-only promoted section: stable because nothing is removed. */
  id: number;
  classification: string;
  text: string;
  line: number;
  evidence: Evidence[];
  origin?: string;
  promoted?: string;
  reinforcements: Reinforcement[];
  status: ClaimStatus;
  /** Set when demoted: why, by whom, when, and which claim replaced it. */
  demotion?: { reason: string; date?: string; actor?: string; supersededBy?: number };
  /** Last line the claim occupies (its sub-items included), where new sub-items go. */
  endLine: number;
}

export interface Statement {
  text: string;
  line: number;
}

export interface BlueprintSection {
  title: string;
  line: number;
  /** Lines of the section's body: from the heading to the line before the next `## `. */
  endLine: number;
  statements: Statement[];
}

export interface Blueprint {
  sections: BlueprintSection[];
  claims: Claim[];
}

export const PROMOTED_SECTION = 'Promoted Converged Intent';
const PLACEHOLDER = /^no converged intent promoted yet\.?$/i;

/** Statements compare without case, punctuation or spacing: `SQLite is the default …` twice is a duplicate. */
export const statementKey = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

/** `session:stage` (upstream's `--source` form) → evidence, or why not. */
export function parseSource(ref: string): Evidence | { problem: string } {
  const [session, stage, ...rest] = ref.split(':').map((s) => s.trim());
  const parsed = StageSchema.safeParse(stage);
  if (!session || rest.length || !parsed.success)
    return { problem: `'${ref}' is not session:stage (stages: ${StageSchema.options.join(', ')})` };
  return { session, stages: [parsed.data] };
}

const sourceList = (value: string): Evidence[] =>
  value
    .split(',')
    .map((ref) => parseSource(ref))
    .filter((e): e is Evidence => !('problem' in e));

export const formatEvidence = (evidence: readonly Evidence[]): string =>
  evidence.map((e) => `${e.session}:${e.stages.join('|')}`).join(', ');

/**
 * Reads a blueprint.md: its `##` sections with their top-level bullets, and the claims of the
 * promoted section with the sub-items idse writes under each (Evidence, Promoted, Reinforced,
 * Demoted). Line-based on purpose: edits must keep every other byte of the file, and the promoted
 * section is written by tools in this one shape.
 */
export function parseBlueprint(text: string): Blueprint {
  const lines = text.split('\n');
  const sections: BlueprintSection[] = [];
  const claims: Claim[] = [];
  let fence = false;
  let current: BlueprintSection | undefined;
  let claim: Claim | undefined;
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (/^\s*(```|~~~)/.test(raw)) fence = !fence;
    if (fence) return;
    const heading = /^##\s+(.+?)\s*#*\s*$/.exec(raw);
    if (heading) {
      if (current) current.endLine = line - 1;
      current = { title: heading[1]!, line, endLine: lines.length, statements: [] };
      sections.push(current);
      claim = undefined;
      return;
    }
    if (/^#\s/.test(raw)) {
      if (current) current.endLine = line - 1;
      current = undefined;
      return;
    }
    if (!current) return;
    const bullet = /^[-*+]\s+(.+?)\s*$/.exec(raw);
    if (bullet) {
      claim = undefined;
      const body = bullet[1]!;
      if (PLACEHOLDER.test(body)) return;
      const promoted = current.title === PROMOTED_SECTION && /^\[([\w-]+)\]\s+(.+)$/.exec(body);
      if (promoted) {
        claim = {
          id: claims.length + 1,
          classification: promoted[1]!,
          text: promoted[2]!,
          line,
          evidence: [],
          reinforcements: [],
          status: 'active',
          endLine: line,
        };
        claims.push(claim);
      }
      current.statements.push({ text: promoted ? promoted[2]! : body, line });
      return;
    }
    const sub = claim && /^\s+[-*+]\s+([A-Za-z ]+?):\s*(.*?)\s*$/.exec(raw);
    if (claim && sub) {
      readSubItem(claim, sub[1]!.toLowerCase(), sub[2]!);
      claim.endLine = line;
    } else if (claim && raw.trim() !== '' && /^\s/.test(raw)) claim.endLine = line;
    else if (raw.trim() !== '') claim = undefined;
  });
  return { sections, claims };
}

function readSubItem(claim: Claim, key: string, value: string): void {
  if (key === 'evidence') claim.evidence.push(...sourceList(value));
  else if (key === 'promoted' || key === 'declared') {
    const m = /^(\S+)(?:\s+\((\w+)(?:,\s*by\s+(.+))?\))?/.exec(value);
    claim.promoted = m?.[1];
    claim.origin = m?.[2] ?? (key === 'declared' ? 'declared' : 'converged');
  } else if (key === 'reinforced') {
    const m = /^(\S+?)(?:\s+on\s+(\S+))?(?:\s+by\s+(.+))?$/.exec(value);
    const [source] = sourceList(m?.[1] ?? '');
    if (source)
      claim.reinforcements.push({
        source,
        ...(m?.[2] ? { date: m[2] } : {}),
        ...(m?.[3] ? { actor: m[3] } : {}),
      });
  } else if (key === 'demoted') {
    // `invalidated on DATE by ACTOR: reason` or `superseded by #N on DATE by ACTOR: reason`
    const m =
      /^(superseded|invalidated)(?:\s+by\s+#(\d+))?(?:\s+on\s+(\S+))?(?:\s+by\s+([^:]+))?:\s*(.*)$/.exec(
        value,
      );
    if (!m) return;
    claim.status = m[1] as ClaimStatus;
    claim.demotion = {
      reason: m[5]!,
      ...(m[3] ? { date: m[3] } : {}),
      ...(m[4] ? { actor: m[4].trim() } : {}),
      ...(m[2] ? { supersededBy: Number(m[2]) } : {}),
    };
  }
}

/** Upstream's projection of a claim into the blueprint's narrative sections. */
export function sectionFor(text: string, classification: string): string {
  const lowered = text.toLowerCase();
  if (/documentation os|purpose|intent-driven systems engineering/.test(lowered)) return 'Purpose';
  if (classification === 'boundary' || /in scope|out of scope|boundary/.test(lowered))
    return 'System Boundaries';
  if (classification === 'ownership_rule' || /owner|collaborator|stakeholder/.test(lowered))
    return 'Stakeholders';
  if (/architecture|component|interface|data ownership/.test(lowered)) return 'High-Level Architecture';
  if (classification === 'invariant') return 'Core Invariants';
  return 'Constraints & Risks';
}

/** Insert lines after a 1-based line, keeping the rest of the text as it was. */
function insertAfter(text: string, line: number, added: readonly string[]): string {
  const lines = text.split('\n');
  lines.splice(line, 0, ...added);
  return lines.join('\n');
}

/** Where a section's content ends: its last non-blank line (the heading when it has none). */
function lastContentLine(text: string, section: BlueprintSection): number {
  const lines = text.split('\n');
  let end = section.line;
  for (let l = section.line + 1; l <= Math.min(section.endLine, lines.length); l++)
    if (lines[l - 1]!.trim() !== '') end = l;
  return end;
}

export interface NewClaim {
  classification: Classification;
  text: string;
  evidence: Evidence[];
  origin: 'converged' | 'declared';
  date: string;
  actor: string;
}

/**
 * The blueprint with a claim appended to the promoted section (its placeholder removed) and its
 * statement added to the narrative section upstream projects it to, unless already there. `guidance`:
 * the template's how-to lines, dropped from the section the statement goes to.
 */
export function appendClaim(
  text: string,
  claim: NewClaim,
  guidance: ReadonlySet<string> = new Set(),
): string {
  let out = text.includes(`## ${PROMOTED_SECTION}`)
    ? text
    : `${text.replace(/\n*$/, '\n')}\n## ${PROMOTED_SECTION}\n`;
  const isPlaceholder = (l: string) =>
    /^[-*+]\s/.test(l) && PLACEHOLDER.test(l.replace(/^[-*+]\s+/, '').trim());
  out = out
    .split('\n')
    .filter((l) => !isPlaceholder(l))
    .join('\n');
  const promoted = parseBlueprint(out).sections.find((s) => s.title === PROMOTED_SECTION)!;
  out = insertAfter(out, lastContentLine(out, promoted), [
    `- [${claim.classification}] ${claim.text}`,
    `  - Evidence: ${formatEvidence(claim.evidence)}`,
    `  - ${claim.origin === 'declared' ? 'Declared' : 'Promoted'}: ${claim.date} (${claim.origin}, by ${claim.actor})`,
  ]);
  const target = parseBlueprint(out).sections.find(
    (s) => s.title === sectionFor(claim.text, claim.classification),
  );
  const key = statementKey(claim.text);
  if (!target || target.statements.some((s) => statementKey(s.text) === key)) return out;
  // The template's how-to line gives way to the first real statement, as upstream's rebuild does.
  const lines = out.split('\n');
  const body = lines.slice(target.line, target.endLine);
  const kept = body.filter((l) => !guidance.has(l.trim()));
  lines.splice(target.line, body.length, ...kept);
  out = lines.join('\n');
  const rebuilt = parseBlueprint(out).sections.find((s) => s.title === target.title)!;
  return insertAfter(out, lastContentLine(out, rebuilt), [`- ${claim.text}`]);
}

/** The blueprint with a sub-item added under a claim (a reinforcement or a demotion). */
export const addToClaim = (text: string, claim: Claim, item: string): string =>
  insertAfter(text, claim.endLine, [`  - ${item}`]);

/** The blueprint without a demoted claim's statement in its narrative section (the claim itself stays). */
export function withdrawStatement(text: string, claim: Claim): string {
  const blueprint = parseBlueprint(text);
  const section = blueprint.sections.find((s) => s.title === sectionFor(claim.text, claim.classification));
  const key = statementKey(claim.text);
  const lines = section?.statements.filter((s) => statementKey(s.text) === key).map((s) => s.line) ?? [];
  if (!lines.length) return text;
  return text
    .split('\n')
    .filter((_, i) => !lines.includes(i + 1))
    .join('\n');
}
