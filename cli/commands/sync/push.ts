import { Command, Option } from 'clipanion';
import { type PushOutcome, syncPush } from '../../../src/sync/push.ts';
import { progressFor } from '../../progress.ts';
import { CATEGORY, ExchangeCommand, SETTINGS } from './base.ts';

export class SyncPushCommand extends ExchangeCommand {
  static override paths = [['sync', 'push']];
  static override usage = Command.Usage({
    category: CATEGORY,
    description: "Send the project's docs as committed at HEAD to Agency Core.",
    details: `
      Reads the project's docs and session files (and the config file) from the HEAD commit, not the working tree, and sends only what Agency Core does not have yet: a push with nothing new sends no document content. Agency Core validates the commit with the same engine as \`idse validate\` and records it.

      ${SETTINGS}

      A detached HEAD is recorded under \`refs/sync/detached\` unless \`--ref\` names a ref.

      Exit codes: 0 pushed (or already there); 1 some files were rejected (listed); 2 usage, git or network failure (nothing half-recorded: run it again).
    `,
    examples: [
      ['Push', 'IDSE_AGENCY_URL=https://agency.example.com IDSE_API_KEY=… $0 sync push'],
      ['As JSON, for a script', '$0 sync push --json'],
    ],
  });

  ref = Option.String('--ref', { description: 'Record under this ref (default: the current branch)' });

  async run(): Promise<number> {
    const { root, config, client, state, project } = await this.connect();
    const progress = progressFor(this.context, !this.json);
    const outcome = await syncPush({
      root,
      config,
      client,
      project,
      ref: this.ref,
      now: this.context.now(),
      progress: (text) => progress.say(text),
    }).finally(() => progress.done());
    this.finish(root, state, outcome, { push: outcome.state }, 'idse.sync-push/v1', () =>
      this.render(outcome),
    );
    return outcome.rejected.length > 0 ? 1 : 0;
  }

  private render(o: PushOutcome): string {
    const at = `${o.project}@${o.commit_sha.slice(0, 7)} (${o.ref})`;
    if (o.status === 'duplicate') {
      return [
        `idse sync push: ${at} was already pushed; nothing sent (${o.unchanged} files unchanged)`,
        ...this.rejectedLines(o),
      ].join('\n');
    }
    const findings = o.findings
      ? `  findings: ${o.findings.errors} errors, ${o.findings.warnings} warnings in ${o.findings.sessions} sessions`
      : '';
    return [
      `idse sync push: ${at} recorded as sync event ${o.sync_event_id}`,
      ...this.list('accepted', o.accepted),
      `  unchanged ${o.unchanged}`,
      ...this.list('removed', o.removed),
      ...this.rejectedLines(o),
      findings,
    ]
      .filter(Boolean)
      .join('\n');
  }

  private rejectedLines(o: PushOutcome): string[] {
    return this.list(
      'rejected',
      o.rejected.map((r) => `${r.path}: ${r.message} [${r.code}]`),
    );
  }
}

/** Registered by cli/app.ts. */
