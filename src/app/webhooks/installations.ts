import type { Context } from 'probot';
import type { ClientStore, RepositoryRecord } from '../mirror/store.ts';

interface RepoShape {
  id: number;
  full_name: string;
  private?: boolean;
}

const toRecord = (r: RepoShape): RepositoryRecord => ({
  id: r.id,
  fullName: r.full_name,
  ...(r.private !== undefined ? { private: r.private } : {}),
});

/**
 * Installations are the App's clients. Created (or permissions accepted): remember the client
 * and its repositories; deleted: forget it. Suspension keeps the record: the client may come back.
 */
export async function onInstallation(context: Context<'installation'>, store: ClientStore): Promise<void> {
  const { action, installation } = context.payload;
  if (action === 'deleted') {
    await store.removeInstallation(installation.id, { deliveryId: context.id });
    context.log.info(`idse: installation ${installation.id} removed`);
    return;
  }
  if (action !== 'created' && action !== 'new_permissions_accepted') return;
  const account = installation.account as { id: number; login?: string; slug?: string; type?: string } | null;
  const repositories = ('repositories' in context.payload ? context.payload.repositories : undefined) ?? [];
  await store.recordInstallation(
    {
      id: installation.id,
      ...(account
        ? {
            account: {
              id: account.id,
              login: account.login ?? account.slug ?? String(account.id),
              ...(account.type ? { type: account.type } : {}),
            },
          }
        : {}),
      repositorySelection: installation.repository_selection,
    },
    repositories.map(toRecord),
    { deliveryId: context.id },
  );
  context.log.info(`idse: installation ${installation.id} recorded with ${repositories.length} repositories`);
}

export async function onInstallationRepositories(
  context: Context<'installation_repositories'>,
  store: ClientStore,
): Promise<void> {
  const { installation, repositories_added, repositories_removed } = context.payload;
  const webhook = { deliveryId: context.id };
  if (repositories_added.length)
    await store.recordRepositories(installation.id, repositories_added.map(toRecord), webhook);
  if (repositories_removed.length) {
    await store.removeRepositories(
      installation.id,
      repositories_removed.flatMap((r) => (r.id ? [r.id] : [])),
      webhook,
    );
  }
  context.log.info(
    `idse: installation ${installation.id}: ${repositories_added.length} repositories added, ${repositories_removed.length} removed`,
  );
}
