/**
 * The App's ClientStore over the persistent Store (PGlite, Postgres, Supabase): installations become
 * clients, installations and repositories; each finished check run becomes one sync event with its
 * doc versions (artifacts) and session rows. The webhook's delivery id is the sync event's key, so a
 * redelivered webhook writes nothing.
 *
 * A store failure never fails the App's work: the check run is already reported, and installation
 * webhooks are still answered. Each failure is logged in one line with its StoreError code and the
 * write is dropped. The durable outbox (Store.enqueueOutbox / claimOutbox) is where such writes will
 * be queued and retried; until it is wired in here, a dropped write comes back only with a redelivery
 * of its webhook or the next push.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'probot';
import { isIdseError } from '../errors.ts';
import type { InstallationEvent, ValidationMirror } from '../store/schema.ts';
import type { Store } from '../store/store.ts';
import type {
  ClientStore,
  InstallationRecord,
  RepositoryRecord,
  ValidatedDoc,
  ValidatedSession,
  ValidationSummary,
} from './store.ts';

type Account = InstallationEvent['account'];
type AccountType = NonNullable<Account['type']>;
const ACCOUNT_TYPES: ReadonlySet<string> = new Set<AccountType>(['Organization', 'User', 'Enterprise']);

export class StoreMirror implements ClientStore {
  readonly store: Store;
  /** Where failures are logged; the App sets it to Probot's logger when none was given. */
  log: Pick<Logger, 'info' | 'warn' | 'error'> | undefined;
  /**
   * Accounts and repositories seen in this process. The store needs the account (and removed
   * repositories' names) on every installation event and the repository's GitHub id on every
   * validation, while ClientStore calls for removals carry only ids and a ValidationSummary only the
   * repository's name. An event about an installation or repository this process never saw created is
   * logged and not mirrored.
   */
  private readonly accounts = new Map<number, Account>();
  private readonly repoNames = new Map<number, string>();
  private readonly repoIds = new Map<string, number>();

  constructor(store: Store, options: { log?: Pick<Logger, 'info' | 'warn' | 'error'> } = {}) {
    this.store = store;
    this.log = options.log;
  }

  async recordInstallation(
    installation: InstallationRecord,
    repositories: readonly RepositoryRecord[],
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
    await this.installationEvent(installation.id, 'created', { added: repositories });
  }

  async removeInstallation(installationId: number): Promise<void> {
    await this.installationEvent(installationId, 'deleted', {});
  }

  async recordRepositories(installationId: number, repositories: readonly RepositoryRecord[]): Promise<void> {
    this.remember(repositories);
    await this.installationEvent(installationId, 'added', { added: repositories });
  }

  async removeRepositories(installationId: number, repositoryIds: readonly number[]): Promise<void> {
    const removed = repositoryIds.flatMap((id) => {
      const fullName = this.repoNames.get(id);
      return fullName ? [{ id, full_name: fullName }] : [];
    });
    if (removed.length < repositoryIds.length) {
      this.log?.warn(
        `idse: store: ${repositoryIds.length - removed.length} removed repositories of installation ${installationId} are unknown to this process; not mirrored`,
      );
    }
    if (removed.length) await this.installationEvent(installationId, 'removed', { removed });
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
    try {
      const result = await this.store.recordValidation(payload);
      this.log?.info(
        `idse: store: ${at} mirrored as sync event ${result.sync_event_id}${result.duplicate ? ' (redelivery, nothing written)' : `: ${result.artifacts} artifacts, ${result.sessions} sessions`}`,
      );
    } catch (error) {
      this.failed(`could not mirror the validation of ${at}`, error);
    }
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
    repos: { added?: readonly RepositoryRecord[]; removed?: InstallationEvent['repositories_removed'] },
  ): Promise<void> {
    const account = this.accounts.get(installationId);
    if (!account) {
      this.log?.warn(
        `idse: store: installation ${installationId} ${action}: its account is unknown to this process; not mirrored`,
      );
      return;
    }
    try {
      await this.store.recordInstallation({
        // ClientStore calls carry no webhook delivery id: each call is its own sync event. The
        // upserts are idempotent, so a redelivered installation webhook only adds a history row.
        delivery_id: `app-installation-${randomUUID()}`,
        action,
        installation_id: installationId,
        account,
        repositories_added: (repos.added ?? []).map((r) => ({ id: r.id, full_name: r.fullName })),
        repositories_removed: repos.removed ?? [],
      });
    } catch (error) {
      this.failed(`could not mirror installation ${installationId} ${action}`, error);
    }
  }

  private failed(what: string, error: unknown): void {
    const code = isIdseError(error) ? error.code : 'internal';
    const message = error instanceof Error ? error.message : String(error);
    this.log?.error(`idse: store: ${what}: ${message} [${code}]`);
  }
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
    repository: { id: repositoryId, full_name: summary.repository },
    ref,
    commit_sha: summary.headSha,
    // Stand-in for the committer date until the job carries it (push and check_suite payloads have
    // head_commit.timestamp): ordering is then by completion, right unless deliveries arrive late.
    committed_at: summary.committedAt ?? summary.completedAt,
    artifacts: (summary.artifacts ?? []).map(artifactOf),
    sessions: (summary.sessionStates ?? []).map(sessionOf),
  };
}

const artifactOf = (doc: ValidatedDoc): NonNullable<ValidationMirror['artifacts']>[number] => ({
  path: doc.path,
  kind: doc.kind,
  blob_sha: doc.blobSha,
  project: doc.project,
  session: doc.session,
  summary: doc.summary,
  diagnostics: doc.diagnostics,
});

const sessionOf = (s: ValidatedSession): NonNullable<ValidationMirror['sessions']>[number] => ({
  project: s.project,
  session: s.session,
  stage: s.stage ?? null,
  status: s.status ?? null,
  errors: s.errors,
  warnings: s.warnings,
  markers: s.markers,
  coverage: s.coverage,
});
