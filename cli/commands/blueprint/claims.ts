import { Command, Option } from 'clipanion';
import { CLAIM_STATUSES, formatEvidence } from '../../../src/blueprint/claims.ts';
import { IdseError } from '../../../src/errors.ts';
import { BlueprintCommand } from './base.ts';

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
