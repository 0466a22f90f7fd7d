import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { DocModel, ProjectModel, SessionModel } from '../model/model.ts';
import { newSessionJson } from './create.ts';
import { withCurrentSession } from './current.ts';
import { editMetaFrontMatter, editSessionJson, type MetadataChange, withOwnerLine } from './edit.ts';
import { metaDoc, metaFrontMatter, readRecord } from './record.ts';
import { derivedStages, newStateText, type StageMap, stateSession, withStages } from './state.ts';
import { type FileEdit, readIfExists } from './write.ts';

/** Front matter data of a meta.md text, when it has a mapping there. */
function frontMatterData(text: string): unknown {
  const match = /^---\r?\n([\s\S]*?)\r?\n---(?:\r?\n|$)/.exec(text);
  if (!match) return undefined;
  try {
    return parseYaml(match[1]!) ?? {};
  } catch {
    return undefined;
  }
}

/**
 * The session with its metadata files (session.json, .owner, meta.md front matter) as they are on
 * disk now: what a change is computed from once the project lock is held, so a concurrent command's
 * edit is built on rather than overwritten.
 */
export function withFreshMetadata(root: string, session: SessionModel): SessionModel {
  const dataFiles = new Map(session.dataFiles);
  for (const name of ['session.json', '.owner']) {
    const path = session.dataFiles.get(name)?.path ?? `${session.dir}/metadata/${name}`;
    const text = readIfExists(join(root, path));
    if (text === undefined) dataFiles.delete(name);
    else dataFiles.set(name, { path, text });
  }
  const meta = metaDoc(session);
  const text = meta && readIfExists(join(root, meta.path));
  if (!meta || text === undefined) return { ...session, dataFiles };
  const data = frontMatterData(text);
  const { frontMatter, ...facts } = meta.facts;
  const fresh: DocModel = {
    ...meta,
    facts:
      data === undefined
        ? facts
        : { ...facts, frontMatter: { span: frontMatter?.span ?? [1, 1, 1, 1], data } },
  };
  return { ...session, dataFiles, docs: session.docs.map((d) => (d === meta ? fresh : d)) };
}

/**
 * The file edits that apply a metadata change to a session: each metadata file it has, kept in step.
 * A session with neither session.json nor meta.md gets a session.json (upstream's record), and so
 * does one whose change only session.json can hold (collaborators).
 */
export function metadataEdits(
  session: SessionModel,
  change: MetadataChange,
  stamp: string,
): Map<string, FileEdit> {
  const { files, isBlueprint } = readRecord(session);
  const edits = new Map<string, FileEdit>();
  const needsJson = !files.meta || change.collaborators !== undefined;
  const json = files.json ?? (needsJson ? `${session.dir}/metadata/session.json` : undefined);
  if (json) {
    const created = () =>
      newSessionJson({ id: session.name, type: isBlueprint ? 'blueprint' : 'feature', tags: [], stamp });
    edits.set(json, (text) => editSessionJson(text ?? created(), change, stamp, json));
  }
  // A meta.md without front matter (upstream's generated blueprint registry) is not given one.
  if (files.meta && (metaFrontMatter(session) || !json))
    edits.set(files.meta, (text) => text && editMetaFrontMatter(text, change, !json));
  if (files.owner && change.owner !== undefined) {
    const owner = change.owner;
    edits.set(files.owner, (text) => text && withOwnerLine(text, owner));
  }
  return edits;
}

const statePath = (project: ProjectModel) =>
  project.dataFiles.get('session_state.json')?.path ?? `${project.dir}/session_state.json`;

/** A session of the workspace as the pointer and state files will describe it, its stages from its docs. */
export const pointerTarget = (session: SessionModel): PointerTarget => ({
  id: session.name,
  dir: session.dir,
  isBlueprint: readRecord(session).isBlueprint,
  stages: derivedStages(session),
});

/** The session the project's pointer and state files are about to describe. */
export interface PointerTarget {
  id: string;
  dir: string;
  isBlueprint: boolean;
  stages: StageMap;
}

/**
 * Make a session the project's current one: CURRENT_SESSION in the format it has, and the project's
 * session_state.json (upstream's view of the current session), when it has one, started afresh for
 * it unless it already describes it.
 */
export function pointerEdits(
  project: ProjectModel,
  target: PointerTarget,
  stamp: string,
): Map<string, FileEdit> {
  const fresh = newStateText(project.name, target.id, target.isBlueprint, target.stages, stamp);
  return new Map<string, FileEdit>([
    [
      project.dataFiles.get('CURRENT_SESSION')?.path ?? `${project.dir}/CURRENT_SESSION`,
      (text) => withCurrentSession(text, target.id, `${target.dir}/`, stamp),
    ],
    // A project without one (an agency repo, an older idse workspace) is not given one here.
    [statePath(project), (text) => (text === undefined || stateSession(text) === target.id ? text : fresh)],
  ]);
}

/** Stage statuses set in the project's state file, started afresh first when it is about another session. */
export function stageEdits(
  project: ProjectModel,
  target: PointerTarget,
  stages: Partial<StageMap>,
  stamp: string,
): Map<string, FileEdit> {
  const path = statePath(project);
  const fresh = newStateText(project.name, target.id, target.isBlueprint, target.stages, stamp);
  return new Map<string, FileEdit>([
    [
      path,
      (text) =>
        withStages(stateSession(text) === target.id && text !== undefined ? text : fresh, stages, path),
    ],
  ]);
}
