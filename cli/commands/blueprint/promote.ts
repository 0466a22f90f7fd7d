import { Command, Option } from 'clipanion';
import {
  addToClaim,
  appendClaim,
  CLASSIFICATIONS,
  type Classification,
  formatEvidence,
  withdrawStatement,
} from '../../../src/blueprint/claims.ts';
import { evaluatePromotion, type PromotionDecision } from '../../../src/blueprint/gate.ts';
import { IdseError } from '../../../src/errors.ts';
import { blueprintDoc } from '../../../src/scaffold/templates.ts';
import { BLUEPRINT } from '../../../src/sessions/record.ts';
import { BlueprintCommand } from './base.ts';
import {
  BlueprintClaimsCommand,
  BlueprintExtractCandidatesCommand,
  BlueprintVerifyCommand,
} from './claims.ts';

/** Rules whose findings `verify` reports with its own checks. */

abstract class ClaimWriteCommand extends BlueprintCommand {
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

export class BlueprintPromoteCommand extends ClaimWriteCommand {
  static override paths = [['blueprint', 'promote']];
  static override usage = Command.Usage({
    category: 'Blueprint',
    description:
      'Promote a claim several sessions converged on into the project blueprint, through the gate.',
    details:
      'The gate (upstream’s tests) asks for evidence from at least two sessions and two stages, feedback in those sessions that does not contradict the claim, evidence docs that are not copies of each other, and sessions created at least `--min-days` apart. On ALLOW the claim is appended to `## Promoted Converged Intent` of `metadata/blueprint.md` with its evidence, and stated in the section it belongs to. Exit 1 on DENY.',
    examples: [
      [
        'Promote an invariant',
        '$0 blueprint promote --claim "SQLite is the default storage backend." --classification invariant --source sqlite-cms-refactor:spec --source notion-designstore-refactor:feedback',
      ],
      [
        'Only evaluate',
        '$0 blueprint promote --claim "…" --classification boundary --source a:spec --source b:feedback --dry-run',
      ],
    ],
  });

  minDays = Option.String('--min-days', '7', { description: 'Days the evidence must span (default: 7)' });
  dryRun = Option.Boolean('--dry-run', false, { description: 'Evaluate without writing' });

  async run(): Promise<number> {
    const minDays = Number(this.minDays);
    if (!Number.isInteger(minDays) || minDays < 0)
      throw new IdseError('usage', '--min-days is a whole number of days');
    return this.record('converged', minDays, this.dryRun);
  }
}

export class BlueprintDeclareCommand extends ClaimWriteCommand {
  static override paths = [['blueprint', 'declare']];
  static override usage = Command.Usage({
    category: 'Blueprint',
    description: 'Declare a founding blueprint claim from one session, without the convergence tests.',
    details:
      'For what a project holds from day one. The sources must all be docs of one session and exist; the claim must not already be in the blueprint.',
    examples: [
      [
        'A founding boundary',
        '$0 blueprint declare --claim "Payments stay out of scope." --classification boundary --source __blueprint__:intent',
      ],
    ],
  });

  async run(): Promise<number> {
    return this.record('declared', 0, false);
  }
}

export class BlueprintReinforceCommand extends BlueprintCommand {
  static override paths = [['blueprint', 'reinforce']];
  static override usage = Command.Usage({
    category: 'Blueprint',
    description: 'Record more evidence for an active claim (its status does not change).',
    examples: [
      ['Another session agrees', '$0 blueprint reinforce --claim-id 2 --source export-v2:implementation'],
    ],
  });

  claimId = Option.String('--claim-id', {
    required: true,
    description: 'The claim’s number (`idse blueprint claims`)',
  });
  source = Option.String('--source', { required: true, description: 'Evidence as session:stage' });
  actor = Option.String('--actor', 'system', { description: 'Who records it (default: system)' });

  async run(): Promise<number> {
    const [source] = this.sources([this.source]);
    const { loaded, project, blueprint } = await this.load();
    if (!blueprint) throw new IdseError('usage', `project ${project.name} has no blueprint yet`);
    const claim = this.claimOf(blueprint.claims, this.claimId);
    if (claim.status !== 'active')
      throw new IdseError(
        'usage',
        `claim #${claim.id} is ${claim.status}; only active claims are reinforced`,
      );
    const check = evaluatePromotion({
      project,
      claim: claim.text,
      classification: claim.classification,
      sources: [source!],
      existing: [],
      minDays: 0,
      readText: this.readText(loaded),
      convergence: false,
    });
    const missing = check.failed.find(
      (f) => f.test === 'SOURCE_NOT_FOUND' || f.test === 'CONTRADICTED_BY_FEEDBACK',
    );
    if (missing) throw new IdseError('usage', `${missing.test}: ${missing.detail}`);
    const item = `Reinforced: ${formatEvidence([source!])} on ${this.today()} by ${this.actor}`;
    this.write(loaded, blueprint.file, addToClaim(blueprint.text, claim, item));
    this.print(
      this.json
        ? JSON.stringify({ claim: claim.id, reinforced: formatEvidence([source!]) })
        : `Reinforced claim #${claim.id}`,
    );
    return 0;
  }
}

export class BlueprintDemoteCommand extends BlueprintCommand {
  static override paths = [['blueprint', 'demote']];
  static override usage = Command.Usage({
    category: 'Blueprint',
    description: 'Demote an active claim to superseded or invalidated, with the reason.',
    details:
      'The promoted section is append-only: the claim stays, with a `Demoted:` line recording the transition, and its statement leaves the narrative section. `superseded` names the active claim that replaces it.',
    examples: [
      [
        'Feedback disproved it',
        '$0 blueprint demote --claim-id 3 --reason "export-v2 feedback: Postgres replaced SQLite"',
      ],
      [
        'Replaced by a sharper claim',
        '$0 blueprint demote --claim-id 1 --status superseded --superseding-claim-id 4 --reason "narrowed"',
      ],
    ],
  });

  claimId = Option.String('--claim-id', { required: true, description: 'The claim’s number' });
  reason = Option.String('--reason', { required: true, description: 'Why, citing the evidence' });
  status = Option.String('--status', 'invalidated', { description: 'superseded or invalidated (default)' });
  superseding = Option.String('--superseding-claim-id', {
    description: 'The claim replacing it (with --status superseded)',
  });
  actor = Option.String('--actor', 'operator', { description: 'Who demotes it (default: operator)' });

  async run(): Promise<number> {
    if (this.status !== 'superseded' && this.status !== 'invalidated')
      throw new IdseError('usage', '--status is superseded or invalidated');
    if (!this.reason.trim()) throw new IdseError('usage', 'a demotion needs a reason');
    if (this.status === 'superseded' && !this.superseding)
      throw new IdseError('usage', '--status superseded needs --superseding-claim-id');
    const { loaded, project, blueprint } = await this.load();
    if (!blueprint) throw new IdseError('usage', `project ${project.name} has no blueprint yet`);
    const claim = this.claimOf(blueprint.claims, this.claimId);
    if (claim.status !== 'active')
      throw new IdseError('usage', `claim #${claim.id} is already ${claim.status}`);
    let by = '';
    if (this.superseding) {
      const next = this.claimOf(blueprint.claims, this.superseding);
      if (next.id === claim.id || next.status !== 'active')
        throw new IdseError(
          'usage',
          `claim #${next.id} cannot supersede #${claim.id}: it must be another active claim`,
        );
      by = ` by #${next.id}`;
    }
    const item = `Demoted: ${this.status}${by} on ${this.today()} by ${this.actor}: ${this.reason.trim().replace(/\s+/g, ' ')}`;
    this.write(loaded, blueprint.file, withdrawStatement(addToClaim(blueprint.text, claim, item), claim));
    this.print(
      this.json
        ? JSON.stringify({ claim: claim.id, from: 'active', to: this.status })
        : `Demoted claim #${claim.id} (active → ${this.status})`,
    );
    return 0;
  }
}

export const BLUEPRINT_COMMANDS = [
  BlueprintDeclareCommand,
  BlueprintPromoteCommand,
  BlueprintReinforceCommand,
  BlueprintDemoteCommand,
  BlueprintClaimsCommand,
  BlueprintVerifyCommand,
  BlueprintExtractCandidatesCommand,
];
