import { Command, Option } from 'clipanion';
import { AgencyClient } from '../../../src/sync/client.ts';
import { type PullOutcome, syncPull } from '../../../src/sync/pull.ts';
import { type PushOutcome, syncPush } from '../../../src/sync/push.ts';
import { type ProjectState, readSyncState, type SyncState, writeSyncState } from '../../../src/sync/state.ts';
import { type StatusOutcome, syncStatus } from '../../../src/sync/status.ts';
import { agencySettings, syncWorkspace } from '../../../src/sync/workspace.ts';
import { IdseCommand } from '../../base.ts';
import { progressFor } from '../../progress.ts';
import { AgencyPublishCommand } from '../agency/publish.ts';

const CATEGORY = 'Sync with Agency Core';
const SETTINGS = `Agency Core's address comes from \`--agency\`, \`IDSE_AGENCY_URL\` or \`sync.url\` in the workspace's config; the API key from \`IDSE_API_KEY\` (create one with \`idse agency keys create\`). The project is \`--project\`, \`sync.project\` in the config, the key's own project, or the only project the workspace has.`;

abstract class SyncCommand extends IdseCommand {
  project = Option.String('--project', { description: 'The project to sync (see above)' });
  json = Option.Boolean('--json', false, { description: 'Print JSON' });

  protected list(label: string, paths: readonly string[], limit = 20): string[] {
    if (paths.length === 0) return [];
    const shown = paths.slice(0, limit).map((p) => `    ${p}`);
    const more = paths.length > limit ? [`    … and ${paths.length - limit} more`] : [];
    return [`  ${label} ${paths.length}:`, ...shown, ...more];
  }
}

/** Push and pull: both talk to Agency Core and leave their outcome in the sync state. */
abstract class ExchangeCommand extends SyncCommand {
  agency = Option.String('--agency', { description: "Agency Core's address" });

  /** The workspace, what it remembers, and a client for Agency Core. */
  protected async connect() {
    const { root, config } = await syncWorkspace(this.context.cwd);
    const client = new AgencyClient(agencySettings(this.context.env, config, this.agency));
    return {
      root,
      config,
      client,
      state: readSyncState(root),
      project: this.project ?? config.sync?.project,
    };
  }

  /** Saves the project's new push or pull state, then prints the report (JSON, or `text`). */
  protected finish(
    root: string,
    state: SyncState,
    outcome: { project: string; state: unknown },
    entry: ProjectState,
    schema: string,
    text: () => string,
  ): void {
    state.projects[outcome.project] = { ...state.projects[outcome.project], ...entry };
    writeSyncState(root, state);
    const { state: _state, ...report } = outcome;
    this.print(this.json ? JSON.stringify({ schema, ...report }) : text());
  }
}

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

/** Registered by cli/app.ts. */
export const SYNC_COMMANDS = [SyncPushCommand, SyncPullCommand, SyncStatusCommand, AgencyPublishCommand];
