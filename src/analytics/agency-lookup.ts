/**
 * Names as an agency admin types them (a client's name or id, `owner/repo/project`,
 * `owner/repo/project/session`) resolved to the store's ids, so `idse agency …` commands only parse
 * options, call one of these and print. Every miss is a usage error that says what was not found.
 */
import { IdseError } from '../errors.ts';
import type { MetricsOptions } from '../store/agency.ts';
import type { Store } from '../store/store.ts';

/** The store reads a lookup needs: the store itself, or the App's admin API answering the same calls. */
export type LookupStore = Pick<Store, 'findClient' | 'agencyProjects' | 'agencySessions'>;

export type ClientFilter = { clientId?: string };

/** A client by name (any case) or id. */
export async function clientNamed(store: Pick<Store, 'findClient'>, nameOrId: string) {
  const client = await store.findClient(nameOrId);
  if (!client) {
    throw new IdseError('usage', `no client '${nameOrId}' (add one with \`idse agency clients add\`)`);
  }
  return client;
}

/** The filter that confines reads to the named client; none when no client is named. */
export async function clientFilter(
  store: Pick<Store, 'findClient'>,
  client: string | undefined,
): Promise<ClientFilter> {
  return client ? { clientId: (await clientNamed(store, client)).client_id } : {};
}

export type Target = { repository: string; project: string; session?: string };

/** `owner/repo/project` or `owner/repo/project/session`. */
export function parseTarget(text: string): Target {
  const parts = text.split('/');
  if ((parts.length !== 3 && parts.length !== 4) || parts.some((p) => p === '')) {
    throw new IdseError('usage', `'${text}' is not owner/repo/project or owner/repo/project/session`);
  }
  const [owner, repo, project, session] = parts as [string, string, string, string | undefined];
  return { repository: `${owner}/${repo}`, project, ...(session ? { session } : {}) };
}

/** A project's id from its id or its `owner/repo/project` name (archived ones too). */
export async function projectIdOf(store: LookupStore, text: string, filter: ClientFilter): Promise<number> {
  if (/^\d+$/.test(text)) return Number(text);
  const target = parseTarget(text);
  if (target.session)
    throw new IdseError('usage', `--project takes owner/repo/project, not a session: ${text}`);
  const matches = (await store.agencyProjects({ ...filter, withArchived: true })).filter(
    (p) => p.repository.toLowerCase() === target.repository.toLowerCase() && p.project === target.project,
  );
  if (matches.length > 1) throw new IdseError('usage', `${text} is known for several clients: add --client`);
  if (!matches[0]) throw new IdseError('usage', `no project ${text}`);
  return matches[0].project_id;
}

/** The names a view is scoped by, as options give them; each one optional. */
export type ScopeNames = {
  client?: string | undefined;
  project?: string | undefined;
  session?: string | undefined;
};

/**
 * The ids of a scope: the client filter, and the session when one is named, else the project when
 * one is named.
 */
export async function resolveScope(
  store: LookupStore,
  names: ScopeNames,
): Promise<Pick<MetricsOptions, 'clientId' | 'projectId' | 'sessionId'>> {
  const filter = await clientFilter(store, names.client);
  if (names.session) {
    const target = parseTarget(names.session);
    if (!target.session)
      throw new IdseError('usage', `--session takes owner/repo/project/session: ${names.session}`);
    const projectId = await projectIdOf(store, `${target.repository}/${target.project}`, filter);
    const session = (await store.agencySessions({ ...filter, projectId, withArchived: true })).find(
      (s) => s.session === target.session,
    );
    if (!session) throw new IdseError('usage', `no session ${names.session}`);
    return { ...filter, sessionId: session.session_id };
  }
  return names.project ? { ...filter, projectId: await projectIdOf(store, names.project, filter) } : filter;
}

/** Archives (or brings back) a project or session, named as `parseTarget` reads it. */
export async function archiveTarget(
  store: Pick<Store, 'findClient' | 'setArchived'>,
  target: Target,
  options: { client?: string | undefined; archived: boolean },
) {
  const filter = await clientFilter(store, options.client);
  const result = await store.setArchived({
    ...target,
    archived: options.archived,
    ...(filter.clientId ? { client_id: filter.clientId } : {}),
  });
  if (!result) {
    const name = [target.repository, target.project, ...(target.session ? [target.session] : [])].join('/');
    throw new IdseError('usage', `no ${target.session ? 'session' : 'project'} ${name}`);
  }
  return result;
}
