/**
 * The App's ClientStore over the persistent Store (PGlite, Postgres, Supabase): installations become
 * clients, installations and repositories; each finished check run becomes one sync event with its
 * doc versions (artifacts) and session rows. Every write carries its webhook's delivery id, so a
 * redelivered webhook (or a replayed one) writes nothing twice.
 *
 * A store failure never fails the App's work: the check run is already reported, and installation
 * webhooks are still answered. A write that failed for a reason that may pass (store unreachable,
 * conflict) goes to the outbox on local disk and is replayed, in order, when the store answers again:
 * on a timer backing off from `retryMs` to a minute, and after any write that succeeds. A write the
 * store refuses for good (invalid payload) is logged and kept aside in the outbox's `failed/`.
 */
import type { Logger } from 'probot';
import { isIdseError } from '../../errors.ts';
import { isStoreError } from '../../store/errors.ts';
import { artifactOf, sessionOf } from '../../store/mirror-rows.ts';
import type { InstallationEvent, ValidationMirror } from '../../store/schema.ts';
import type { Store } from '../../store/store.ts';
import type { DrainResult, FileOutbox, OutboxEntry } from './outbox.ts';
import type {
  ClientStore,
  InstallationRecord,
  RepositoryRecord,
  ValidationSummary,
  WebhookRef,
} from './store.ts';

type Account = InstallationEvent['account'];
type AccountType = NonNullable<Account['type']>;
const ACCOUNT_TYPES: ReadonlySet<string> = new Set<AccountType>(['Organization', 'User', 'Enterprise']);
const MAX_RETRY_MS = 60_000;

export interface StoreMirrorOptions {
  log?: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** Where failed writes wait for the store; without one they are logged and dropped. */
  outbox?: FileOutbox;
  /** First wait before replaying the outbox after a failure (default 1 s; doubles up to a minute). */
  retryMs?: number;
}

export class StoreMirror implements ClientStore {
  readonly store: Store;
  readonly outbox: FileOutbox | undefined;
  /** Where failures are logged; the App sets it to Probot's logger when none was given. */
  log: Pick<Logger, 'info' | 'warn' | 'error'> | undefined;
  /**
   * Accounts and repositories seen in this process. The store needs the account (and removed
   * repositories' names) on every installation event and the repository's GitHub id on every
   * validation, while ClientStore calls for removals carry only ids and a ValidationSummary only the
   * repository's name. A removal this process cannot name is logged and not mirrored; a validation of
   * an installation it never saw records that installation first (introduce).
   */
  private readonly accounts = new Map<number, Account>();
  private readonly repoNames = new Map<number, string>();
  private readonly repoIds = new Map<string, number>();
  /** Installations recorded from a validation's webhook (see recordValidation), by id. */
  private readonly introduced = new Map<number, Promise<void>>();
  private readonly retryMs: number;
  private nextRetryMs: number;
  private timer: NodeJS.Timeout | undefined;
  private draining: Promise<DrainResult> | undefined;
  /**
   * Whether the outbox may hold entries: true from the start (an earlier run may have left some) and
   * after each put, false once a replay empties it. Saves listing the folder after every write.
   */
  private outboxMayHoldEntries: boolean;
  private closed = false;

  constructor(store: Store, options: StoreMirrorOptions = {}) {
    this.store = store;
    this.log = options.log;
    this.outbox = options.outbox;
    this.outboxMayHoldEntries = options.outbox !== undefined;
    this.retryMs = options.retryMs ?? 1000;
    this.nextRetryMs = this.retryMs;
  }

  async recordInstallation(
    installation: InstallationRecord,
    repositories: readonly RepositoryRecord[],
    webhook: WebhookRef,
  ): Promise<void> {
    if (installation.account) {
      const { id, login, type } = installation.account;
      this.accounts.set(installation.id, {
        id,
        login,
        ...(type && ACCOUNT_TYPES.has(type) ? { type: type as AccountType } : {}),
      });
    }
    this.remember(repositories);
    await this.installationEvent(installation.id, 'created', webhook, { added: repositories });
  }

  async removeInstallation(installationId: number, webhook: WebhookRef): Promise<void> {
    await this.installationEvent(installationId, 'deleted', webhook, {});
  }

  async recordRepositories(
    installationId: number,
    repositories: readonly RepositoryRecord[],
    webhook: WebhookRef,
  ): Promise<void> {
    this.remember(repositories);
    await this.installationEvent(installationId, 'added', webhook, { added: repositories });
  }

  async removeRepositories(
    installationId: number,
    repositoryIds: readonly number[],
    webhook: WebhookRef,
  ): Promise<void> {
    const removed = repositoryIds.flatMap((id) => {
      const fullName = this.repoNames.get(id);
      return fullName ? [{ id, full_name: fullName }] : [];
    });
    if (removed.length < repositoryIds.length) {
      this.log?.warn(
        `idse: store: ${repositoryIds.length - removed.length} removed repositories of installation ${installationId} are unknown to this process; not mirrored`,
      );
    }
    if (removed.length) await this.installationEvent(installationId, 'removed', webhook, { removed });
  }

  async recordValidation(summary: ValidationSummary): Promise<void> {
    const at = `${summary.repository}@${summary.headSha.slice(0, 7)}`;
    // The webhook names the repository; the map of this process is for summaries built without it.
    const repositoryId = summary.repositoryId ?? this.repoIds.get(summary.repository.toLowerCase());
    if (repositoryId === undefined) {
      this.log?.warn(
        `idse: store: ${summary.repository} is unknown to this process; validation not mirrored`,
      );
      return;
    }
    const payload = validationMirror(summary, repositoryId);
    if (!payload) {
      this.log?.warn(`idse: store: ${at} has no branch or pull request ref; validation not mirrored`);
      return;
    }
    await this.introduce(summary, repositoryId);
    await this.write({ kind: 'validation', payload }, `the validation of ${at}`);
  }

  /**
   * Replays the outbox now (one replay at a time; a call during one joins it). The App calls it at
   * start; the mirror calls it itself after failures and successes.
   */
  replayOutbox(): Promise<DrainResult> {
    const outbox = this.outbox;
    if (!outbox) return Promise.resolve({ replayed: 0, left: 0, rejected: 0 });
    this.draining ??= outbox
      .drain((entry) => this.apply(entry))
      .then((result) => {
        if (result.replayed || result.rejected) {
          this.log?.info(
            `idse: store: outbox replayed ${result.replayed} writes${result.rejected ? `, ${result.rejected} refused (see ${outbox.dir}/failed)` : ''}${result.left ? `, ${result.left} still waiting` : ''}`,
          );
        }
        if (result.left) this.retryLater();
        else {
          this.nextRetryMs = this.retryMs;
          this.outboxMayHoldEntries = false;
        }
        return result;
      })
      .finally(() => {
        this.draining = undefined;
      });
    return this.draining;
  }

  /** Stops the replay timer; entries still waiting stay on disk for the next start. */
  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /**
   * Records the installation of a validation's webhook once per process, unless this process saw its
   * installation event: the store refuses a validation of an installation it does not know, which is
   * every installation made before the store was configured, or whose webhook was missed. Recording
   * it again is harmless (a push proves the App is installed there); concurrent validations of one
   * installation wait for the same write, so theirs land after it.
   */
  private introduce(summary: ValidationSummary, repositoryId: number): Promise<void> | undefined {
    const id = summary.installationId;
    const pending = this.introduced.get(id);
    if (pending || !summary.account || this.accounts.has(id)) return pending;
    const introduction = this.recordInstallation(
      { id, account: summary.account },
      [{ id: repositoryId, fullName: summary.repository }],
      { deliveryId: `${summary.deliveryId}:installation` },
    );
    this.introduced.set(id, introduction);
    return introduction;
  }

  private remember(repositories: readonly RepositoryRecord[]): void {
    for (const r of repositories) {
      this.repoNames.set(r.id, r.fullName);
      this.repoIds.set(r.fullName.toLowerCase(), r.id);
    }
  }

  private async installationEvent(
    installationId: number,
    action: InstallationEvent['action'],
    webhook: WebhookRef,
    repos: { added?: readonly RepositoryRecord[]; removed?: InstallationEvent['repositories_removed'] },
  ): Promise<void> {
    const account = this.accounts.get(installationId);
    if (!account) {
      this.log?.warn(
        `idse: store: installation ${installationId} ${action}: its account is unknown to this process; not mirrored`,
      );
      return;
    }
    const payload: InstallationEvent = {
      // One installation_repositories webhook can both add and remove: one sync event each.
      delivery_id:
        action === 'added' || action === 'removed' ? `${webhook.deliveryId}:${action}` : webhook.deliveryId,
      action,
      installation_id: installationId,
      account,
      repositories_added: (repos.added ?? []).map((r) => ({ id: r.id, full_name: r.fullName })),
      repositories_removed: repos.removed ?? [],
    };
    await this.write({ kind: 'installation', payload }, `installation ${installationId} ${action}`);
  }

  /** One write to the store; on failure, the outbox or a log line. Never throws. */
  private async write(entry: OutboxEntry, what: string): Promise<void> {
    try {
      await this.apply(entry);
    } catch (error) {
      const retryable = isStoreError(error) && error.retryable;
      if (retryable && this.outbox) {
        try {
          this.outbox.put(entry);
          this.outboxMayHoldEntries = true;
          this.log?.warn(
            `idse: store: could not mirror ${what} (${describe(error)}); kept in the outbox, replayed when the store is back`,
          );
          this.retryLater();
          return;
        } catch (putError) {
          this.log?.error(`idse: store: the outbox refused ${what} too: ${describe(putError)}`);
        }
      }
      this.log?.error(`idse: store: could not mirror ${what}: ${describe(error)}`);
      return;
    }
    // The store answers: whatever waited for it can go now.
    if (this.outboxMayHoldEntries && !this.draining) void this.replayOutbox();
  }

  private async apply(entry: OutboxEntry): Promise<void> {
    if (entry.kind === 'installation') {
      await this.store.recordInstallation(entry.payload);
      return;
    }
    const result = await this.store.recordValidation(entry.payload);
    const at = `${entry.payload.repository.full_name}@${entry.payload.commit_sha.slice(0, 7)}`;
    this.log?.info(
      `idse: store: ${at} mirrored as sync event ${result.sync_event_id}${result.duplicate ? ' (redelivery, nothing written)' : `: ${result.artifacts} artifacts, ${result.sessions} sessions`}`,
    );
  }

  private retryLater(): void {
    if (this.closed || this.timer) return;
    const wait = this.nextRetryMs;
    this.nextRetryMs = Math.min(MAX_RETRY_MS, wait * 2);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.replayOutbox();
    }, wait);
    // A pending replay must not keep a finished process alive; the entries stay on disk.
    this.timer.unref();
  }
}

function describe(error: unknown): string {
  const code = isIdseError(error) ? error.code : 'internal';
  const message = error instanceof Error ? error.message : String(error);
  return `${message} [${code}]`;
}

/**
 * The store's payload for one check run, or undefined when the run has no ref the store can key
 * current docs by (a check suite GitHub sent without its branch).
 */
export function validationMirror(
  summary: ValidationSummary,
  repositoryId: number,
): ValidationMirror | undefined {
  const ref =
    summary.pullRequest !== undefined
      ? `refs/pull/${summary.pullRequest}/head`
      : summary.ref
        ? `refs/heads/${summary.ref}`
        : undefined;
  if (!ref) return undefined;
  return {
    delivery_id: summary.deliveryId,
    installation_id: summary.installationId,
    repository: {
      id: repositoryId,
      full_name: summary.repository,
      ...(summary.defaultBranch ? { default_branch: summary.defaultBranch } : {}),
    },
    ref,
    commit_sha: summary.headSha,
    // Stand-in for the committer date until the job carries it (push and check_suite payloads have
    // head_commit.timestamp): ordering is then by completion, right unless deliveries arrive late.
    committed_at: summary.committedAt ?? summary.completedAt,
    artifacts: (summary.artifacts ?? []).map(artifactOf),
    sessions: (summary.sessionStates ?? []).map(sessionOf),
  };
}
