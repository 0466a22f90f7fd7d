import { Command, Option } from 'clipanion';
import { IdseError } from '../../src/errors.ts';
import { BLUEPRINT } from '../../src/sessions/record.ts';
import { CreateSessionCommand } from './session/new.ts';

/** The upstream orchestrator's `idse spawn --plan feature <name>`, so its scripts keep working. */
export class SpawnCommand extends CreateSessionCommand {
  static override paths = [['spawn']];
  static override usage = Command.Usage({
    category: 'Sessions',
    description: 'Spawn a feature session from a blueprint (the upstream orchestrator’s verb).',
    details: 'The same as `idse session new <name> --from <blueprint>`.',
    examples: [['Spawn from the project blueprint', '$0 spawn --plan feature sync-bridge --owner gpt5']],
  });

  name = Option.String({ name: 'feature_name' });
  plan = Option.String('--plan', { required: true, description: 'Plan type (only `feature`)' });
  blueprint = Option.String('--blueprint', BLUEPRINT, {
    description: 'Parent session (default: __blueprint__)',
  });

  async run(): Promise<number> {
    if (this.plan !== 'feature') throw new IdseError('usage', `invalid plan '${this.plan}': only 'feature'`);
    return this.create(this.name, { parent: this.blueprint, type: 'feature', tags: [] });
  }
}
