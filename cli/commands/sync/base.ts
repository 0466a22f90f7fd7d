import { Option } from 'clipanion';
import { AgencyClient } from '../../../src/sync/client.ts';
import { type ProjectState, readSyncState, type SyncState, writeSyncState } from '../../../src/sync/state.ts';
import { agencySettings, syncWorkspace } from '../../../src/sync/workspace.ts';
import { IdseCommand } from '../../base.ts';

export const CATEGORY = 'Sync with Agency Core';
export const SETTINGS = `Agency Core's address comes from \`--agency\`, \`IDSE_AGENCY_URL\` or \`sync.url\` in the workspace's config; the API key from \`IDSE_API_KEY\` (create one with \`idse agency keys create\`). The project is \`--project\`, \`sync.project\` in the config, the key's own project, or the only project the workspace has.`;

export abstract class SyncCommand extends IdseCommand {
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
export abstract class ExchangeCommand extends SyncCommand {
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
