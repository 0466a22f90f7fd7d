/**
 * The engine over a pushed commit: the project's files as the client committed them, with the
 * workspace config among them. Produces what the store records (every file with its kind and
 * findings, every session's state) and the counts the push answers with.
 */

import { CONFIG_FILES } from '../config/files.ts';
import { parseConfig } from '../config/parse.ts';
import { type Config, defaultConfig } from '../config/schema.ts';
import type { Diagnostic } from '../diagnostics.ts';
import { docInputs } from '../model/build.ts';
import { classifyPath } from '../model/layout.ts';
import type { SourceFile } from '../model/source.ts';
import { RULE_KEYS } from '../rules/registry.ts';
import { check } from '../run/check.ts';
import type { FactsPool } from '../run/facts-pool.ts';
import type { TieredFactsCache } from '../run/memory-facts-cache.ts';
import { artifactOf, sessionOf, sessionStatesOf, validatedDocs } from '../store/mirror-rows.ts';
import type { MirroredArtifact, MirroredSession } from '../store/schema.ts';
import type { PushResponse } from '../sync/protocol.ts';
import { isConfigFile } from '../sync/scope.ts';

export interface PushedFile {
  path: string;
  blob_sha: string;
  content: string;
}

export interface CheckedCommit {
  artifacts: MirroredArtifact[];
  sessions: MirroredSession[];
  errors: number;
  warnings: number;
  rows: Extract<PushResponse, { status: 'recorded' }>['sessions'];
}

/** Validates the files of one commit; an invalid config file throws IdseError('config-invalid'). */
export async function checkCommit(
  files: readonly PushedFile[],
  label: string,
  engine: { workers: FactsPool; facts: TieredFactsCache },
): Promise<CheckedCommit> {
  const config = configOf(files);
  const encoder = new TextEncoder();
  // Every content was checked against its blob SHA when it came in (push.ts): the SHA is its id.
  const sources = files.map((f): SourceFile => {
    const content = encoder.encode(f.content);
    const file = { path: f.path, size: content.byteLength, oid: f.blob_sha };
    return content.byteLength > config.maxFileBytes
      ? { ...file, problem: { kind: 'too-large', limit: config.maxFileBytes } }
      : { ...file, content };
  });
  const loaded = await engine.facts.load(docInputs(sources, config).map((doc) => doc.key));
  const result = await check(
    { files: sources, config },
    { label, workers: engine.workers, facts: engine.facts.pinned(loaded) },
  );
  // Stored while the push is recorded; a failed write is only a warning (TieredFactsCache).
  engine.facts.save(loaded);
  const { report } = result;

  const docs = validatedDocs(
    result.workspace,
    files.map((f) => ({ path: f.path, sha: f.blob_sha })),
    result.diagnostics,
  );
  const asDocs = new Set(docs.map((d) => d.path));
  const blobs = new Map(files.map((f) => [f.path, f.blob_sha]));
  const byFile = Map.groupBy(result.diagnostics, (d) => d.file);
  const others = sources
    .filter((f) => !asDocs.has(f.path))
    .map((f) => otherFile(f, blobs.get(f.path)!, byFile.get(f.path) ?? []));
  const count = (severity: Diagnostic['severity']) =>
    result.diagnostics.filter((d) => d.severity === severity).length;
  return {
    artifacts: [...docs.map(artifactOf), ...others],
    sessions: sessionStatesOf(report).map(sessionOf),
    errors: count('error'),
    warnings: count('warning'),
    rows: report.sessions.map((s) => ({
      project: s.project,
      session: s.session,
      ...(s.stage ? { stage: s.stage } : {}),
      errors: s.errors,
      warnings: s.warnings,
    })),
  };
}

/** The first config file of the commit, as the CLI and the App look for it. */
function configOf(files: readonly PushedFile[]): Config {
  const config = files.filter((f) => isConfigFile(f.path)).sort((a, b) => configRank(a) - configRank(b))[0];
  return config ? parseConfig(config.content, config.path, RULE_KEYS) : defaultConfig();
}

const configRank = (f: PushedFile) => (CONFIG_FILES as readonly string[]).indexOf(f.path);

/** A file that is not a session doc: session files, project files, stray docs, the config. */
function otherFile(file: SourceFile, blobSha: string, diagnostics: Diagnostic[]): MirroredArtifact {
  const role = classifyPath(file.path);
  const where =
    role.role === 'other'
      ? {}
      : { project: role.project, ...('session' in role ? { session: role.session } : {}) };
  return {
    path: file.path,
    kind: isConfigFile(file.path) ? 'config' : role.role,
    blob_sha: blobSha,
    ...where,
    summary: { bytes: file.size },
    diagnostics,
  };
}
