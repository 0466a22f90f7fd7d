import { Option } from 'clipanion';
import { appendClaim, CLASSIFICATIONS, type Classification } from '../../../src/blueprint/claims.ts';
import { evaluatePromotion, type PromotionDecision } from '../../../src/blueprint/gate.ts';
import { IdseError } from '../../../src/errors.ts';
import { blueprintDoc } from '../../../src/scaffold/templates.ts';
import { BLUEPRINT } from '../../../src/sessions/record.ts';
import { BlueprintCommand } from './base.ts';

export abstract class ClaimWriteCommand extends BlueprintCommand {
  claim = Option.String('--claim', { required: true, description: 'The claim, one sentence' });
  classification = Option.String('--classification', {
    required: true,
    description: `Its constitutional class: ${CLASSIFICATIONS.join(', ')}`,
  });
  source = Option.Array('--source', {
    required: true,
    description: 'Evidence as session:stage (repeatable)',
  });
  actor = Option.String('--actor', { description: 'Who records it (default: architect)' });

  /** Evaluate the claim and, unless told not to, append it to the blueprint (created if missing). */
  protected async record(
    origin: 'converged' | 'declared',
    minDays: number,
    dryRun: boolean,
  ): Promise<number> {
    const classification = this.classification.toLowerCase();
    if (!(CLASSIFICATIONS as readonly string[]).includes(classification))
      throw new IdseError(
        'usage',
        `unknown classification '${this.classification}' (${CLASSIFICATIONS.join(', ')})`,
      );
    const claim = this.claim.trim().replace(/\s+/g, ' ');
    if (!claim) throw new IdseError('usage', 'a claim cannot be empty');
    const sources = this.sources(this.source);
    if (origin === 'declared' && new Set(sources.map((s) => s.session)).size !== 1)
      throw new IdseError('usage', 'every --source of a declared claim comes from one session');
    const { loaded, project, blueprint } = await this.load();
    const decision = evaluatePromotion({
      project,
      claim,
      classification,
      sources,
      existing: blueprint?.claims ?? [],
      minDays,
      readText: this.readText(loaded),
      convergence: origin === 'converged',
    });
    const written = decision.status === 'ALLOW' && !dryRun;
    let file = blueprint?.file;
    if (written) {
      file ??= `${project.dir}/sessions/${BLUEPRINT}/metadata/blueprint.md`;
      const template = blueprintDoc({ project: project.name, session: BLUEPRINT, owner: '', date: '' });
      const guidance = new Set(template.split('\n').filter((l) => /^- /.test(l)));
      const text = appendClaim(
        blueprint?.text ?? template,
        {
          classification: classification as Classification,
          text: claim,
          evidence: sources,
          origin,
          date: this.today(),
          actor: this.actor ?? 'architect',
        },
        guidance,
      );
      this.write(loaded, file, text);
    }
    this.report(decision, written ? file : undefined);
    return decision.status === 'ALLOW' ? 0 : 1;
  }

  private report(decision: PromotionDecision, file: string | undefined): void {
    if (this.json) {
      this.print(JSON.stringify({ ...decision, ...(file ? { written: file } : {}) }, null, 2));
      return;
    }
    this.print(`Blueprint promotion decision: ${decision.status}`);
    for (const { test, detail } of decision.failed) this.print(`  ✖ ${test}: ${detail}`);
    this.print(
      `Evidence: sessions=${decision.sessions.length} stages=${decision.stages.length} feedback=${decision.feedback.length}`,
    );
    if (file) this.print(`Recorded in ${file}`);
  }
}
