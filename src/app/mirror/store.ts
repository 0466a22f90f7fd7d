import type { ValidatedDoc, ValidatedSession } from '../../store/mirror-rows.ts';

/**
 * What the App remembers about its clients. Kept small on purpose: the persistent store (PGlite,
 * Postgres, Supabase) implements the same five calls, and the App never needs more than these.
 */
export interface ClientStore {
  /** An installation was created (or its permissions changed): remember it and its repositories. */
  recordInstallation(
    installation: InstallationRecord,
    repositories: readonly RepositoryRecord[],
    webhook: WebhookRef,
  ): Promise<void>;
  removeInstallation(installationId: number, webhook: WebhookRef): Promise<void>;
  recordRepositories(
    installationId: number,
    repositories: readonly RepositoryRecord[],
    webhook: WebhookRef,
  ): Promise<void>;
  removeRepositories(
    installationId: number,
    repositoryIds: readonly number[],
    webhook: WebhookRef,
  ): Promise<void>;
  /** A check run finished. A store may ignore this; the persistent one mirrors it as a sync event. */
  recordValidation(summary: ValidationSummary): Promise<void>;
  /** Stops the store's own background work (retries) when the App closes; what it wraps stays open. */
  close?(): void;
}

/** The webhook a call comes from: its delivery id lets a persistent store ignore a redelivery. */
export interface WebhookRef {
  deliveryId: string;
}

export interface InstallationRecord {
  id: number;
  /** The user or organisation that installed the App: the client. */
  account?: { id: number; login: string; type?: string };
  repositorySelection?: string;
}

export interface RepositoryRecord {
  id: number;
  /** `owner/name` */
  fullName: string;
  private?: boolean;
}

export interface ValidationSummary {
  installationId: number;
  /** The installation's account, from the webhook (see ValidationJob). */
  account?: InstallationRecord['account'];
  repository: string;
  headSha: string;
  ref?: string;
  pullRequest?: number;
  checkRunId: number;
  conclusion: 'success' | 'failure' | 'neutral';
  errors: number;
  warnings: number;
  infos: number;
  sessions: number;
  files: number;
  deliveryId: string;
  /** GitHub's id of the repository, from the webhook itself. */
  repositoryId?: number;
  /** The repository's default branch, from the webhook: the store takes sessions' state from it. */
  defaultBranch?: string;
  completedAt: string;
  /** The head commit's time when the webhook said; otherwise the store orders by completedAt. */
  committedAt?: string;
  /** Every doc the engine validated (touched sessions, whole); absent when nothing was validated. */
  artifacts?: ValidatedDoc[];
  /** The report's row per validated session; absent when nothing was validated. */
  sessionStates?: ValidatedSession[];
}

/** The store until the persistent one arrives; also what tests read back. */
export class MemoryClientStore implements ClientStore {
  readonly installations = new Map<
    number,
    { installation: InstallationRecord; repositories: Map<number, RepositoryRecord> }
  >();
  readonly validations: ValidationSummary[] = [];
  private readonly keepValidations: number;

  constructor(options: { keepValidations?: number } = {}) {
    this.keepValidations = options.keepValidations ?? 1000;
  }

  async recordInstallation(
    installation: InstallationRecord,
    repositories: readonly RepositoryRecord[],
  ): Promise<void> {
    const known = this.installations.get(installation.id);
    const repos = known?.repositories ?? new Map<number, RepositoryRecord>();
    for (const repo of repositories) repos.set(repo.id, repo);
    this.installations.set(installation.id, { installation, repositories: repos });
  }

  async removeInstallation(installationId: number): Promise<void> {
    this.installations.delete(installationId);
  }

  async recordRepositories(installationId: number, repositories: readonly RepositoryRecord[]): Promise<void> {
    let known = this.installations.get(installationId);
    if (!known) {
      // installation_repositories can arrive before (or without) the installation event.
      known = { installation: { id: installationId }, repositories: new Map() };
      this.installations.set(installationId, known);
    }
    for (const repo of repositories) known.repositories.set(repo.id, repo);
  }

  async removeRepositories(installationId: number, repositoryIds: readonly number[]): Promise<void> {
    const known = this.installations.get(installationId);
    for (const id of repositoryIds) known?.repositories.delete(id);
  }

  async recordValidation(summary: ValidationSummary): Promise<void> {
    this.validations.push(summary);
    if (this.validations.length > this.keepValidations) this.validations.shift();
  }
}
