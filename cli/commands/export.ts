import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { Command, Option } from 'clipanion';
import { IdseError } from '../../src/errors.ts';
import { buildExport } from '../../src/export/build.ts';
import { QUERIES, type QueryFilters } from '../../src/export/query.ts';
import { type ExportDocument, ExportSchema } from '../../src/export/schema.ts';
import { STAGES, type Stage, StageSchema } from '../../src/pipeline/stages.ts';
import { loadWorkspace } from '../../src/run/load.ts';
import { writeFilesAtomically } from '../../src/scaffold/write.ts';
import { VERSION } from '../../src/version.ts';
import { describeIssues } from '../../src/zod-issues.ts';
import { IdseCommand } from '../base.ts';
import { renderTable } from '../table.ts';

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

export class ExportCommand extends IdseCommand {
  static override paths = [['export']];
  static override usage = Command.Usage({
    category: 'Reports',
    description:
      'Export sessions as one JSON document (or a folder of them): docs, sections, requirements, tasks.',
    details:
      'The document follows `schemas/export.schema.json` (`"schema": "idse.export/v1"`): each session with its status, owner, stage, the docs of the chosen stages (whole text and section by section), its requirements with their task and test coverage, its tasks with agent and readiness, and its open markers. Scripts read this instead of parsing markdown; `idse query --from` answers from it.',
    examples: [
      ['Everything, to stdout', '$0 export'],
      [
        'Specs and tasks of one project, to a file',
        '$0 export --project shop --stage spec --stage tasks --out shop.json',
      ],
      ['One file per session', '$0 export --out-dir build/export'],
    ],
  });

  stage = Option.Array('--stage', {
    description: `Stages whose docs to include (default: all: ${STAGES.join(', ')})`,
  });
  project = Option.String('-p,--project', { description: 'Only this project' });
  session = Option.String('-s,--session', { description: 'Only this session' });
  out = Option.String('-o,--out', { description: 'Write the document to this file' });
  outDir = Option.String('--out-dir', {
    description: 'Write <project>/<session>.json files into this folder',
  });
  json = Option.Boolean('--json', false, {
    description: 'With --out or --out-dir: print what was written as JSON',
  });
  root = Option.String('--root', { description: 'Workspace root (default: the current folder)' });

  async run(): Promise<number> {
    if (this.out && this.outDir) throw new IdseError('usage', 'pick --out or --out-dir, not both');
    const stages = (this.stage?.length ? this.stage : [...STAGES]).map((s) => {
      const parsed = StageSchema.safeParse(s);
      if (!parsed.success) throw new IdseError('usage', `unknown stage '${s}' (${STAGES.join(', ')})`);
      return parsed.data;
    });
    const loaded = await loadWorkspace({ cwd: this.context.cwd, env: this.context.env, root: this.root });
    const doc = buildExport(loaded.workspace, loaded.config, {
      stages: [...new Set<Stage>(stages)],
      ...(this.project ? { project: this.project } : {}),
      ...(this.session ? { session: this.session } : {}),
      version: VERSION,
      readText: (path) => readFileSync(join(loaded.root, path), 'utf8'),
    });
    if ((this.project || this.session) && doc.sessions.length === 0)
      throw new IdseError(
        'usage',
        `no session matches ${[this.project, this.session].filter(Boolean).join('/')}`,
      );
    if (!this.out && !this.outDir) {
      this.context.stdout.write(json(doc));
      return 0;
    }
    const files = new Map<string, string>();
    const inRoot = (path: string) =>
      relative(loaded.root, resolve(this.context.cwd, path)).split('\\').join('/');
    if (this.out) files.set(inRoot(this.out), json(doc));
    else
      for (const s of doc.sessions)
        files.set(`${inRoot(this.outDir!)}/${s.project}/${s.session}.json`, json({ ...doc, sessions: [s] }));
    if ([...files.keys()].some((p) => p.startsWith('..')))
      throw new IdseError(
        'usage',
        'the output must be inside the workspace (or print to stdout and redirect)',
      );
    writeFilesAtomically(loaded.root, files, { force: true });
    this.print(
      this.json
        ? JSON.stringify({ sessions: doc.sessions.length, files: [...files.keys()] }, null, 2)
        : `Exported ${doc.sessions.length} session(s) to ${this.out ?? `${this.outDir} (${files.size} files)`}`,
    );
    return 0;
  }
}

/** An export read back: one document, or every `.json` under a folder written by `--out-dir`. */
function readExport(path: string): ExportDocument {
  if (!existsSync(path)) throw new IdseError('path-not-found', `${path} does not exist`);
  const files = statSync(path).isDirectory()
    ? readdirSync(path, { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.json'))
        .sort()
        .map((f) => join(path, f))
    : [path];
  const docs = files.map((file) => {
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new IdseError('usage', `not JSON: ${(error as Error).message}`, { file });
    }
    const parsed = ExportSchema.safeParse(data);
    if (!parsed.success)
      throw new IdseError('usage', `not an idse export: ${describeIssues(parsed.error)}`, { file });
    return parsed.data;
  });
  if (!docs.length) throw new IdseError('usage', `${path} holds no export files`);
  return { ...docs[0]!, sessions: docs.flatMap((d) => d.sessions) };
}

export class QueryCommand extends IdseCommand {
  static override paths = [['query']];
  static override usage = Command.Usage({
    category: 'Reports',
    description: 'Answer a named question about the workspace (or an export of it).',
    details: `Queries: ${Object.entries(QUERIES)
      .map(([name, q]) => `\`${name}\` (${q.description})`)
      .join('; ')}. The answer is the same from the docs as from an \`idse export\` of them (\`--from\`).`,
    examples: [
      ['Open tasks of Codex', '$0 query open-tasks --agent codex'],
      ['Requirements no test covers, as JSON', '$0 query requirements-without-tests --json'],
      ['Sessions in review, from an export', '$0 query sessions --status review --from export.json'],
    ],
  });

  name = Option.String({ name: 'query' });
  from = Option.String('--from', {
    description: 'An export file or --out-dir folder instead of the workspace',
  });
  project = Option.String('-p,--project', { description: 'Only this project' });
  session = Option.String('-s,--session', { description: 'Only this session' });
  status = Option.String('--status', { description: 'sessions: only this status' });
  owner = Option.String('--owner', { description: 'sessions: only this owner' });
  agent = Option.String('-a,--agent', { description: 'tasks: only those routed to this agent' });
  json = Option.Boolean('--json', false, { description: 'Print JSON' });
  root = Option.String('--root', { description: 'Workspace root (default: the current folder)' });

  async run(): Promise<number> {
    const query = QUERIES[this.name];
    if (!query)
      throw new IdseError(
        'usage',
        `unknown query '${this.name}' (queries: ${Object.keys(QUERIES).join(', ')})`,
      );
    const filters: QueryFilters = {
      ...(this.project ? { project: this.project } : {}),
      ...(this.session ? { session: this.session } : {}),
      ...(this.status ? { status: this.status } : {}),
      ...(this.owner ? { owner: this.owner } : {}),
      ...(this.agent ? { agent: this.agent } : {}),
    };
    const unused = (['status', 'owner', 'agent'] as const).filter(
      (k) => filters[k] && !query.filters.includes(k),
    );
    if (unused.length)
      throw new IdseError('usage', `${this.name} does not filter by --${unused.join(', --')}`);
    const doc = this.from ? readExport(resolve(this.context.cwd, this.from)) : await this.exportWorkspace();
    const rows = query.run(doc, filters);
    if (this.json) {
      this.print(JSON.stringify(rows, null, 2));
      return 0;
    }
    if (!rows.length) {
      this.print(`No results for ${this.name}.`);
      return 0;
    }
    const columns = Object.keys(rows[0]!).filter((c) => c !== 'text');
    this.print(
      renderTable(
        columns,
        rows.map((r) => columns.map((c) => String(r[c] ?? '—'))),
      ),
    );
    return 0;
  }

  private async exportWorkspace(): Promise<ExportDocument> {
    const loaded = await loadWorkspace({ cwd: this.context.cwd, env: this.context.env, root: this.root });
    // Queries read traceability and tasks, never doc text: no stage's docs are needed.
    return buildExport(loaded.workspace, loaded.config, { stages: [], version: VERSION, readText: () => '' });
  }
}
