import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command, Option } from 'clipanion';
import { IdseError } from '../../src/errors.ts';
import { buildExport } from '../../src/export/build.ts';
import { QUERIES, type QueryFilters } from '../../src/export/query.ts';
import { type ExportDocument, ExportSchema } from '../../src/export/schema.ts';
import { loadWorkspace } from '../../src/run/load.ts';
import { VERSION } from '../../src/version.ts';
import { describeIssues } from '../../src/zod-issues.ts';
import { IdseCommand } from '../base.ts';
import { renderTable } from '../table.ts';

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
