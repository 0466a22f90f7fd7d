import { StageSchema } from '../pipeline/stage-schemas.ts';
import { CLAIM_STATUSES, type Claim, type ClaimStatus, type Evidence, statementKey } from './claims.ts';

/** One entry of upstream's "Blueprint Promotion Record" in the blueprint session's meta.md. */
export interface PromotionRecord {
  claim: string;
  date?: string;
  origin?: string;
  evidence: Evidence[];
  lifecycle?: ClaimStatus;
}

const list = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s && s !== 'none');

/**
 * Upstream keeps a promotion's evidence in meta.md (generated from its database), not beside the
 * claim: `Source Sessions: a, b` and `Source Stages: feedback, spec`. Which stage came from which
 * session is not recorded, so each session is credited with all the stages.
 */
export function parsePromotionRecords(meta: string): PromotionRecord[] {
  const start = meta.search(/^##\s+Blueprint Promotion Record\s*$/m);
  if (start === -1) return [];
  const body = meta.slice(start).split('\n').slice(1);
  const end = body.findIndex((l) => /^##\s/.test(l));
  const records: Record<string, string>[] = [];
  for (const line of end === -1 ? body : body.slice(0, end)) {
    const field = /^\s*(?:-\s+)?([A-Za-z ]+):\s*(.*)$/.exec(line);
    if (!field) continue;
    if (/^-\s/.test(line.trim()) && field[1] === 'Date') records.push({});
    const record = records[records.length - 1];
    if (record) record[field[1]!.trim()] = field[2]!.trim();
  }
  return records
    .filter((r) => r['Promoted Claim'])
    .map((r) => {
      const stages = list(r['Source Stages']).flatMap((s) => {
        const stage = StageSchema.safeParse(s);
        return stage.success ? [stage.data] : [];
      });
      const lifecycle = (CLAIM_STATUSES as readonly string[]).includes(r.Lifecycle ?? '')
        ? (r.Lifecycle as ClaimStatus)
        : undefined;
      return {
        claim: r['Promoted Claim']!,
        ...(r.Date ? { date: r.Date } : {}),
        ...(r.Origin ? { origin: r.Origin } : {}),
        evidence: stages.length ? list(r['Source Sessions']).map((session) => ({ session, stages })) : [],
        ...(lifecycle ? { lifecycle } : {}),
      };
    });
}

/** Claims with what upstream's records add: evidence, date and lifecycle the blueprint does not state. */
export function withRecords(claims: readonly Claim[], records: readonly PromotionRecord[]): Claim[] {
  const byKey = new Map(records.map((r) => [statementKey(r.claim), r]));
  return claims.map((claim) => {
    const record = byKey.get(statementKey(claim.text));
    if (!record) return claim;
    return {
      ...claim,
      evidence: claim.evidence.length ? claim.evidence : record.evidence,
      ...(claim.promoted || !record.date ? {} : { promoted: record.date.slice(0, 10) }),
      ...(claim.origin || !record.origin ? {} : { origin: record.origin }),
      status: claim.demotion ? claim.status : (record.lifecycle ?? claim.status),
    };
  });
}
