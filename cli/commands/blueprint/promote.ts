import { Command, Option } from 'clipanion';
import { IdseError } from '../../../src/errors.ts';
import { ClaimWriteCommand } from './claim-write.ts';

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
