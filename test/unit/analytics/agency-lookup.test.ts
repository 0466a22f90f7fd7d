import { describe, expect, it } from 'vitest';
import {
  type LookupStore,
  parseTarget,
  projectIdOf,
  resolveScope,
} from '../../../src/analytics/agency-lookup.ts';
import type { AgencyProject, AgencySession } from '../../../src/store/agency.ts';

const ACME = '00000000-0000-4000-8000-000000000001';
const BETA = '00000000-0000-4000-8000-000000000002';

/** Only the fields a lookup reads; the rest of a row does not matter here. */
const project = (project_id: number, client_id: string, repository: string, name: string) =>
  ({ project_id, client_id, repository, project: name }) as AgencyProject;
const session = (session_id: number, project_id: number, name: string) =>
  ({ session_id, project_id, session: name }) as AgencySession;

/** A store of two clients that both have a repository `shared/docs`. */
const store: LookupStore = {
  findClient: async (name) =>
    name === 'acme'
      ? { client_id: ACME, login: 'acme', github_account_id: null }
      : name === 'beta'
        ? { client_id: BETA, login: 'beta', github_account_id: null }
        : null,
  agencyProjects: async ({ clientId } = {}) =>
    [
      project(1, ACME, 'Acme/Docs', 'payments'),
      project(2, ACME, 'shared/docs', 'p'),
      project(3, BETA, 'shared/docs', 'p'),
    ].filter((p) => !clientId || p.client_id === clientId),
  agencySessions: async ({ projectId } = {}) =>
    [session(10, 1, 'kickoff'), session(11, 2, 'kickoff')].filter(
      (s) => !projectId || s.project_id === projectId,
    ),
};

describe('agency lookups', () => {
  it('reads owner/repo/project and owner/repo/project/session, and refuses anything else', () => {
    expect(parseTarget('acme/docs/payments')).toEqual({ repository: 'acme/docs', project: 'payments' });
    expect(parseTarget('acme/docs/payments/kickoff')).toMatchObject({ session: 'kickoff' });
    expect(() => parseTarget('acme/docs')).toThrow(/is not owner\/repo\/project/);
    expect(() => parseTarget('acme//docs/x')).toThrow(/is not owner\/repo\/project/);
  });

  it('finds a project by id or by name in any case of the repository, and asks for a client when two match', async () => {
    expect(await projectIdOf(store, '7', {})).toBe(7);
    expect(await projectIdOf(store, 'acme/docs/payments', {})).toBe(1);
    await expect(projectIdOf(store, 'shared/docs/p', {})).rejects.toThrow(/several clients: add --client/);
    expect(await projectIdOf(store, 'shared/docs/p', { clientId: BETA })).toBe(3);
    await expect(projectIdOf(store, 'acme/docs/nope', {})).rejects.toThrow('no project acme/docs/nope');
  });

  it('scopes to a session before a project, and keeps the client filter', async () => {
    expect(await resolveScope(store, {})).toEqual({});
    expect(await resolveScope(store, { client: 'acme', project: 'shared/docs/p' })).toEqual({
      clientId: ACME,
      projectId: 2,
    });
    expect(
      await resolveScope(store, { project: 'shared/docs/p', session: 'acme/docs/payments/kickoff' }),
    ).toEqual({ sessionId: 10 });
    await expect(resolveScope(store, { session: 'acme/docs/payments' })).rejects.toThrow(
      '--session takes owner/repo/project/session',
    );
    await expect(resolveScope(store, { client: 'nobody' })).rejects.toThrow("no client 'nobody'");
  });
});
