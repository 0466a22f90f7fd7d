import { Command, Option } from 'clipanion';
import { type Candidate, extractCandidates } from '../../src/blueprint/candidates.ts';
import { CLAIM_STATUSES, type Claim, formatEvidence } from '../../src/blueprint/claims.ts';
import { contradictingLines } from '../../src/blueprint/contradiction.ts';
import { evaluatePromotion, sessionsFeedback } from '../../src/blueprint/gate.ts';
import { IdseError } from '../../src/errors.ts';
import type { ProjectModel } from '../../src/model/model.ts';
import { docStarted } from '../../src/model/progress.ts';
import { type Stage, StageSchema, stageOfKind } from '../../src/pipeline/stages.ts';
import { BlueprintCommand } from './blueprint-base.ts';

/** Rules whose findings `verify` reports with its own checks. */

const BLUEPRINT_RULES = new Set(['IDSE040', 'IDSE041', 'IDSE042']);

export class BlueprintClaimsCommand extends BlueprintCommand {
  static override paths = [['blueprint', 'claims']];
  static override usage = Command.Usage({
    category: 'Blueprint',
    description: 'List the blueprint’s claims with their class, status and evidence.',
    examples: [
      ['Every claim', '$0 blueprint claims'],
      ['Active ones, as JSON', '$0 blueprint claims --status active --json'],
    ],
  });

  status = Option.String('--status', {
    description: `Only claims with this status (${CLAIM_STATUSES.join(', ')})`,
  });

  async run(): Promise<number> {
    if (this.status && !(CLAIM_STATUSES as readonly string[]).includes(this.status))
      throw new IdseError('usage', `--status is one of ${CLAIM_STATUSES.join(', ')}`);
    const { project, blueprint } = await this.load();
    const claims = (blueprint?.claims ?? []).filter((c) => !this.status || c.status === this.status);
    if (this.json) {
      this.print(JSON.stringify({ project: project.name, file: blueprint?.file, claims }, null, 2));
      return 0;
    }
    if (!claims.length) this.print('No blueprint claims.');
    for (const c of claims)
      this.print(
        `#${c.id} [${c.classification}] ${c.status} | ${c.text} | evidence: ${formatEvidence(c.evidence) || 'none'}${c.promoted ? ` | ${c.origin ?? 'promoted'} ${c.promoted}` : ''}`,
      );
    return 0;
  }
}

export class BlueprintVerifyCommand extends BlueprintCommand {
  static override paths = [['blueprint', 'verify']];
  static override usage = Command.Usage({
    category: 'Blueprint',
    description:
      'Check the blueprint: every active claim has live evidence, no feedback contradicts it, nothing is stated twice.',
    details:
      'Reports the findings of rules IDSE040–IDSE042 for the blueprint and every feedback line that contradicts an active claim (a contradiction marker naming the claim by number or words). Exit 1 when there is any.',
    examples: [['In CI', '$0 blueprint verify']],
  });

  async run(): Promise<number> {
    const { loaded, project, blueprint } = await this.load();
    if (!blueprint)
      throw new IdseError('usage', `project ${project.name} has no blueprint (metadata/blueprint.md)`);
    const problems = loaded.diagnostics
      .filter((d) => BLUEPRINT_RULES.has(d.code) && d.file === blueprint.file)
      .map((d) => ({ code: d.code, file: d.file, line: d.range?.start.line, message: d.message }));
    const readText = this.readText(loaded);
    for (const claim of blueprint.claims.filter((c) => c.status === 'active')) {
      for (const path of sessionsFeedback(
        project,
        project.sessions.map((s) => s.name),
      )) {
        for (const line of contradictingLines(readText(path) ?? '', claim))
          problems.push({
            code: 'contradicted',
            file: path,
            line,
            message: `contradicts blueprint claim #${claim.id}`,
          });
      }
    }
    const active = blueprint.claims.filter((c) => c.status === 'active').length;
    if (this.json) {
      this.print(
        JSON.stringify(
          {
            project: project.name,
            file: blueprint.file,
            claims: blueprint.claims.length,
            active,
            ok: !problems.length,
            problems,
          },
          null,
          2,
        ),
      );
    } else {
      for (const p of problems)
        this.print(`${p.file}${p.line ? `:${p.line}` : ''}  ${p.message}  [${p.code}]`);
      this.print(
        problems.length
          ? `✖ ${problems.length} problem(s) in the blueprint of ${project.name} (${active} active claim(s))`
          : `✔ Blueprint of ${project.name}: ${active} active claim(s), all with live evidence, none contradicted, none repeated`,
      );
    }
    return problems.length ? 1 : 0;
  }
}

export class BlueprintExtractCandidatesCommand extends BlueprintCommand {
  static override paths = [['blueprint', 'extract-candidates']];
  static override usage = Command.Usage({
    category: 'Blueprint',
    description: 'Find statements several sessions and stages converge on: candidates for promotion.',
    details:
      'Reads the session docs of the chosen stages (default: intent, context, spec, implementation, feedback), clusters similar sentences and lists those with enough distinct sources. `--evaluate` runs the promotion gate on each (nothing is written).',
    examples: [
      ['Candidates', '$0 blueprint extract-candidates'],
      ['With the gate’s verdict, as JSON', '$0 blueprint extract-candidates --evaluate --json'],
    ],
  });

  stage = Option.Array('--stage', { description: 'Stages to read (repeatable)' });
  minSources = Option.String('--min-sources', '2', {
    description: 'Distinct session:stage sources (default: 2)',
  });
  minSessions = Option.String('--min-sessions', '2', { description: 'Distinct sessions (default: 2)' });
  minStages = Option.String('--min-stages', '2', { description: 'Distinct stages (default: 2)' });
  limit = Option.String('--limit', '20', { description: 'At most this many (default: 20)' });
  evaluate = Option.Boolean('--evaluate', false, { description: 'Also run the promotion gate on each' });
  minDays = Option.String('--min-days', '7', { description: 'For --evaluate: days the evidence must span' });

  async run(): Promise<number> {
    const numbers = [this.minSources, this.minSessions, this.minStages, this.limit, this.minDays].map(Number);
    if (numbers.some((n) => !Number.isInteger(n) || n < 0))
      throw new IdseError('usage', 'thresholds and --limit are whole numbers');
    const [minSources, minSessions, minStages, limit, minDays] = numbers as [
      number,
      number,
      number,
      number,
      number,
    ];
    const stages = this.stageList();
    const { loaded, project, blueprint } = await this.load();
    const readText = this.readText(loaded);
    const docs = project.sessions.flatMap((session) =>
      session.docs.flatMap((doc) => {
        const stage = stageOfKind(doc.kind);
        // A doc still holding its template says nothing anyone converged on.
        return stage && doc.kind !== 'test-plan' && stages.includes(stage) && docStarted(doc.facts)
          ? [{ session: session.name, stage, text: readText(doc.path) ?? '' }]
          : [];
      }),
    );
    const candidates = extractCandidates(docs, { minSources, minSessions, minStages, limit });
    const evaluated = candidates.map((c) => ({
      ...c,
      ...(this.evaluate
        ? { evaluation: this.gate(c, project, blueprint?.claims ?? [], minDays, readText) }
        : {}),
    }));
    if (this.json) {
      this.print(JSON.stringify(evaluated, null, 2));
      return 0;
    }
    if (!evaluated.length) this.print('No candidates found for these thresholds.');
    evaluated.forEach((c, i) => {
      this.print(`${i + 1}. ${c.claim}`);
      this.print(
        `   suggested: ${c.suggested} | support=${c.support} sessions=${c.sessions} stages=${c.stages}`,
      );
      this.print(`   sources: ${c.sources.map((s) => `${s.session}:${s.stage}`).join(', ')}`);
      if (c.evaluation)
        this.print(
          `   gate: ${c.evaluation.status}${c.evaluation.failed.length ? ` (${c.evaluation.failed.map((f) => f.test).join(', ')})` : ''}`,
        );
    });
    return 0;
  }

  private stageList(): Stage[] {
    const wanted = this.stage?.length
      ? this.stage
      : ['intent', 'context', 'spec', 'implementation', 'feedback'];
    return wanted.map((s) => {
      const parsed = StageSchema.safeParse(s);
      if (!parsed.success)
        throw new IdseError('usage', `unknown stage '${s}' (${StageSchema.options.join(', ')})`);
      return parsed.data;
    });
  }

  private gate(
    c: Candidate,
    project: ProjectModel,
    existing: readonly Claim[],
    minDays: number,
    readText: (p: string) => string | undefined,
  ) {
    return evaluatePromotion({
      project,
      claim: c.claim,
      classification: c.suggested,
      sources: c.sources.map((s) => ({ session: s.session, stages: [s.stage] })),
      existing,
      minDays,
      readText,
      convergence: true,
    });
  }
}
