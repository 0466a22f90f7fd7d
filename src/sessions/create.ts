import { upstreamJson } from './json-edit.ts';

/** What a new session records about itself. */
export interface NewSession {
  id: string;
  /** `blueprint` for the project's blueprint (whose name is the project's, as upstream has it). */
  type: string;
  name?: string;
  description?: string;
  parent?: string;
  /** Upstream writes `system` when none is given; idse asks for one (default: $USER). */
  owner?: string;
  tags: readonly string[];
  stamp: string;
}

/** metadata/session.json of a new session, key for key as upstream's `SessionMetadata.save` writes it. */
export const newSessionJson = (s: NewSession): string =>
  upstreamJson({
    session_id: s.id,
    name: s.name ?? s.id,
    session_type: s.type,
    description: s.description ?? null,
    is_blueprint: s.type === 'blueprint',
    parent_session: s.parent ?? null,
    related_sessions: [],
    owner: s.owner ?? null,
    collaborators: [],
    tags: s.tags,
    status: 'draft',
    created_at: s.stamp,
    updated_at: s.stamp,
  });

/** metadata/.owner as upstream writes it: when it was created, and the owner when one was given. */
export const newOwnerFile = (s: Pick<NewSession, 'owner' | 'stamp'>): string =>
  `Created: ${s.stamp}\n${s.owner ? `Owner: ${s.owner}\n` : ''}`;

/** The metadata files of a new session, relative to the session folder. */
export function newSessionMetadata(s: NewSession): Map<string, string> {
  return new Map([
    ['metadata/session.json', newSessionJson(s)],
    ['metadata/.owner', newOwnerFile(s)],
  ]);
}
