import { readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { Command, Option } from 'clipanion';
import { IdseError } from '../../src/errors.ts';
import { buildExport } from '../../src/export/build.ts';
import { StageSchema } from '../../src/pipeline/stage-schemas.ts';
import { STAGES, type Stage } from '../../src/pipeline/stages.ts';
import { loadWorkspace } from '../../src/run/load.ts';
import { writeFilesAtomically } from '../../src/scaffold/write.ts';
import { VERSION } from '../../src/version.ts';
import { IdseCommand } from '../base.ts';

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
