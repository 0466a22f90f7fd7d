import { Command } from 'clipanion';
import { readSyncState } from '../../../src/sync/state.ts';
import { type StatusOutcome, syncStatus } from '../../../src/sync/status.ts';
import { syncWorkspace } from '../../../src/sync/workspace.ts';
import { CATEGORY, SyncCommand } from './base.ts';

export class SyncStatusCommand extends SyncCommand {
  static override paths = [['sync', 'status']];
  static override usage = Command.Usage({
    category: CATEGORY,
    description: 'Show the last push and pull, what a push would send, and open pull conflicts.',
    details: 'Reads .idse/sync-state.json and the repository only; it does not contact Agency Core.',
    examples: [['Status', '$0 sync status']],
  });

  async run(): Promise<number> {
    const { root, config } = await syncWorkspace(this.context.cwd);
    const status = await syncStatus({ root, config, state: readSyncState(root), project: this.project });
    this.print(
      this.json ? JSON.stringify({ schema: 'idse.sync-status/v1', ...status }) : this.render(status),
    );
    return 0;
  }

  private render(s: StatusOutcome): string {
    const head = s.head
      ? `HEAD ${s.head.commit_sha.slice(0, 7)}${s.head.branch ? ` (${s.head.branch})` : ' (detached)'}`
      : 'no commits yet';
    if (s.projects.length === 0) {
      return `idse sync status: ${head}; nothing synced yet (name a project with --project)`;
    }
    return [
      `idse sync status: ${head}`,
      ...s.projects.flatMap((p) => {
        const pending = [...p.pending.added, ...p.pending.changed, ...p.pending.removed];
        return [
          `${p.project}:`,
          p.last_push
            ? `  last push ${p.last_push.at}: ${p.last_push.commit_sha.slice(0, 7)} on ${p.last_push.ref}${p.head_pushed ? ' (HEAD)' : ''}`
            : '  never pushed',
          ...(pending.length === 0
            ? ['  nothing to push']
            : [
                ...this.list('to push, added', p.pending.added),
                ...this.list('to push, changed', p.pending.changed),
                ...this.list('to push, removed', p.pending.removed),
              ]),
          ...this.list('not committed (push sends commits only)', p.uncommitted),
          p.last_pull ? `  last pull ${p.last_pull.at} (cursor ${p.last_pull.cursor})` : '  never pulled',
          ...this.list(
            'conflicts',
            p.conflicts.map((c) => `${c.path}: the agency's version is in ${c.incoming}`),
          ),
        ];
      }),
    ].join('\n');
  }
}
