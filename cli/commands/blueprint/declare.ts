import { Command } from 'clipanion';
import { ClaimWriteCommand } from './claim-write.ts';

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
