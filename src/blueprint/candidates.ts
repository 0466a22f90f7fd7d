import { distance } from 'fastest-levenshtein';
import type { Stage } from '../pipeline/stages.ts';
import { statementKey } from './claims.ts';

/** A doc offered to candidate extraction. */
export interface CandidateSource {
  session: string;
  stage: Stage;
  text: string;
}

export interface Candidate {
  claim: string;
  suggested: string;
  sources: { session: string; stage: Stage }[];
  support: number;
  sessions: number;
  stages: number;
}

/** Template sentences every session repeats: their convergence says nothing. */
const BOILERPLATE = [
  'derive tasks directly from the implementation plan',
  'keep tasks independent and testable',
  'note owner, dependencies, and acceptance',
  'these tasks guide the ide/development team',
  'this plan serves as both an implementation plan',
  'product requirements document (prd)',
  'canonical artifact of the idse pipeline',
  'must be validated via `idse validate`',
  'this artifact was automatically generated',
  'please populate this document according to idse guidelines',
];

/** Sentence-sized lines of prose: no headings, code, tables, tasks, markers or template text. */
export function candidateStatements(text: string): string[] {
  const out = new Map<string, string>();
  let fence = false;
  for (const raw of text.split('\n')) {
    const trimmed = raw.trim();
    if (/^(```|~~~)/.test(trimmed)) {
      fence = !fence;
      continue;
    }
    if (
      fence ||
      !trimmed ||
      trimmed.startsWith('#') ||
      trimmed.startsWith('|') ||
      /^(-{3,}|\*{3,})$/.test(trimmed)
    )
      continue;
    const line = trimmed
      .replace(/^[-*+]\s+(\[[ xX]\]\s+)?/, '')
      .replace(/^\d+\.\s+/, '')
      .replace(/\s+/g, ' ');
    const lowered = line.toLowerCase();
    if (lowered.includes('[requires input]') || /^(task|phase|owner:|deps:)\b/.test(lowered)) continue;
    if ((line.match(/`/g) ?? []).length >= 4 || BOILERPLATE.some((b) => lowered.includes(b))) continue;
    if (line.length < 32 || line.length > 280 || line.split(' ').length < 6) continue;
    const key = statementKey(line);
    if (!out.has(key)) out.set(key, line);
  }
  return [...out.values()];
}

/** Upstream's blend: 70% edit-distance ratio, 30% shared words. */
export function similarity(a: string, b: string): number {
  if (!a || !b) return 0;
  const ratio = 1 - distance(a, b) / Math.max(a.length, b.length);
  const left = new Set(a.split(' '));
  const right = new Set(b.split(' '));
  const shared = [...left].filter((w) => right.has(w)).length;
  return 0.7 * ratio + 0.3 * (shared / new Set([...left, ...right]).size);
}

/** Upstream's guess at a statement's constitutional class, from its words. */
export function suggestClassification(text: string): string {
  const lowered = text.toLowerCase();
  if (/owner|ownership|agent|responsible/.test(lowered)) return 'ownership_rule';
  if (/boundary|scope/.test(lowered)) return 'boundary';
  if (/must|never|required|default|authoritative/.test(lowered)) return 'invariant';
  return 'non_negotiable_constraint';
}

export interface CandidateOptions {
  minSources: number;
  minSessions: number;
  minStages: number;
  limit: number;
}

const SIMILAR = 0.82;

/**
 * Statements that several sessions and stages converge on: each statement joins the most similar
 * cluster (or starts one), and clusters with enough distinct sources become candidates, the
 * shortest wording standing for the rest.
 */
export function extractCandidates(docs: readonly CandidateSource[], options: CandidateOptions): Candidate[] {
  interface Cluster {
    key: string;
    shortest: string;
    texts: string[];
    sources: Map<string, { session: string; stage: Stage }>;
  }
  const clusters: Cluster[] = [];
  for (const doc of docs) {
    for (const statement of candidateStatements(doc.text)) {
      const key = statementKey(statement);
      let best: Cluster | undefined;
      let score = 0;
      for (const cluster of clusters) {
        const s = similarity(key, cluster.key);
        if (s > score) [best, score] = [cluster, s];
      }
      const cluster: Cluster =
        best && score >= SIMILAR ? best : { key, shortest: statement, texts: [], sources: new Map() };
      if (cluster !== best) clusters.push(cluster);
      cluster.texts.push(statement);
      cluster.sources.set(`${doc.session}:${doc.stage}`, { session: doc.session, stage: doc.stage });
      // The shortest wording stands for the cluster, and new statements are compared with it.
      if (statement.length < cluster.shortest.length) [cluster.shortest, cluster.key] = [statement, key];
    }
  }
  return clusters
    .map((c) => {
      const sources = [...c.sources.values()].sort((a, b) =>
        `${a.session}:${a.stage}`.localeCompare(`${b.session}:${b.stage}`),
      );
      const claim = c.shortest;
      return {
        claim,
        suggested: suggestClassification(claim),
        sources,
        support: sources.length,
        sessions: new Set(sources.map((s) => s.session)).size,
        stages: new Set(sources.map((s) => s.stage)).size,
      };
    })
    .filter(
      (c) =>
        c.support >= options.minSources && c.sessions >= options.minSessions && c.stages >= options.minStages,
    )
    .sort(
      (a, b) =>
        b.sessions - a.sessions ||
        b.stages - a.stages ||
        b.support - a.support ||
        a.claim.length - b.claim.length,
    )
    .slice(0, Math.max(1, options.limit));
}
