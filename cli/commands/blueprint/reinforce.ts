import { Command, Option } from 'clipanion';
import { addToClaim, formatEvidence } from '../../../src/blueprint/claims.ts';
import { evaluatePromotion } from '../../../src/blueprint/gate.ts';
import { IdseError } from '../../../src/errors.ts';
import { BlueprintCommand } from './base.ts';

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
