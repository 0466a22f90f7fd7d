import { Command } from 'clipanion';
import { type PullOutcome, syncPull } from '../../../src/sync/pull.ts';
import { CATEGORY, ExchangeCommand, SETTINGS } from './base.ts';

export class SyncPullCommand extends ExchangeCommand {
  static override paths = [['sync', 'pull']];
  static override usage = Command.Usage({
    category: CATEGORY,
    description: 'Apply what the agency published for this project (constitution, templates, feedback).',
    details: `
      Writes each published doc into the working tree, unless the file there was changed since the last pull (or exists and never came from a pull): then the local file is kept, the agency's version is saved beside it as \`<file>.incoming\`, and the conflict is reported. Nothing is committed; review and commit the result.

      ${SETTINGS}

      Exit codes: 0 applied; 1 conflicts or rejected docs (listed); 2 usage or network failure (nothing written).
    `,
    examples: [['Pull', '$0 sync pull']],
  });

  async run(): Promise<number> {
    const { root, client, state, project } = await this.connect();
    const outcome = await syncPull({ root, client, project, state, now: this.context.now() });
    this.finish(root, state, outcome, { pull: outcome.state }, 'idse.sync-pull/v1', () =>
      this.render(outcome),
    );
    return outcome.docs.some((d) => d.action === 'conflict' || d.action === 'rejected') ? 1 : 0;
  }

  private render(o: PullOutcome): string {
    if (o.docs.length === 0) return `idse sync pull: nothing new for ${o.project} (cursor ${o.cursor})`;
    return [
      `idse sync pull: ${o.docs.length} docs for ${o.project} (cursor ${o.cursor})`,
      ...o.docs.map((d) => `  ${d.action.padEnd(9)} ${d.path}${d.message ? `: ${d.message}` : ''}`),
    ].join('\n');
  }
}
