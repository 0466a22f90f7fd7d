import { Command, Option } from 'clipanion';
import { type Candidate, extractCandidates } from '../../../src/blueprint/candidates.ts';
import type { Claim } from '../../../src/blueprint/claims.ts';
import { evaluatePromotion } from '../../../src/blueprint/gate.ts';
import { IdseError } from '../../../src/errors.ts';
import type { ProjectModel } from '../../../src/model/model.ts';
import { docStarted } from '../../../src/model/progress.ts';
import { StageSchema } from '../../../src/pipeline/stage-schemas.ts';
import { type Stage, stageOfKind } from '../../../src/pipeline/stages.ts';
import { BlueprintCommand } from './base.ts';

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
