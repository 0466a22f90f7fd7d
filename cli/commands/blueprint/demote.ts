import { Command, Option } from 'clipanion';
import { addToClaim, withdrawStatement } from '../../../src/blueprint/claims.ts';
import { IdseError } from '../../../src/errors.ts';
import { BlueprintCommand } from './base.ts';

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
