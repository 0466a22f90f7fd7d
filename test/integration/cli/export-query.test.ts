/** `idse export` → `idse query --from` gives what `idse query` gives on the docs themselves. */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { renderExportJsonSchema } from '../../../src/export/json-schema.ts';
import { QUERIES } from '../../../src/export/query.ts';
import { idse, tempDir } from '../../helpers/cli.ts';

const CORPUS = new URL('../../fixtures/corpus/idse-orchestrator/', import.meta.url);
const SCHEMA = readFileSync(new URL('../../../schemas/export.schema.json', import.meta.url), 'utf8');

function corpus(): string {
  const root = tempDir('idse-export-');
  cpSync(CORPUS, root, { recursive: true });
  return root;
}

const query = async (root: string, ...args: string[]) => {
  const run = await idse(['query', ...args, '--json'], { cwd: root });
  expect(run.stderr).toBe('');
  return JSON.parse(run.stdout) as Record<string, unknown>[];
};

describe('idse export and idse query', () => {
  it('publishes the export schema exactly as `node scripts/gen-schemas.ts` writes it', () => {
    expect(SCHEMA).toBe(renderExportJsonSchema());
  });

  it('round-trips: every query answers the same from the docs, an export file and an export folder', async () => {
    const root = corpus();
    expect((await idse(['export', '--out', 'export.json'], { cwd: root })).stdout).toBe(
      'Exported 8 session(s) to export.json\n',
    );
    const folder = JSON.parse(
      (await idse(['export', '--out-dir', 'exported', '--json'], { cwd: root })).stdout,
    );
    expect(folder.sessions).toBe(8);
    expect(folder.files).toContain('exported/idse-orchestrator/agent-spec-compiler.json');
    const document = JSON.parse(readFileSync(join(root, 'export.json'), 'utf8'));
    const validate = new Ajv2020({ allErrors: true, strict: false }).compile(JSON.parse(SCHEMA));
    expect(validate(document), JSON.stringify(validate.errors)).toBe(true);

    const asked = [
      ['open-tasks'],
      ['open-tasks', '--agent', 'codex'],
      ['ready-tasks'],
      ['requirements-without-tests'],
      ['requirements-without-tasks', '--session', 'agent-spec-compiler'],
      ['sessions'],
      ['sessions', '--status', 'complete'],
      ['sessions', '--owner', 'tjpilant'],
      ['markers'],
    ];
    expect(new Set(asked.map((a) => a[0]))).toEqual(new Set(Object.keys(QUERIES)));
    for (const args of asked) {
      const live = await query(root, ...args);
      expect({ args, rows: await query(root, ...args, '--from', 'export.json') }).toEqual({
        args,
        rows: live,
      });
      expect({ args, rows: await query(root, ...args, '--from', 'exported') }).toEqual({ args, rows: live });
    }
    expect((await query(root, 'sessions', '--status', 'complete')).map((s) => s.session)).toEqual([
      'agent-spec-compiler',
      'blueprint-bootstrap-lifecycle',
      'component-impact-parser',
      'notion-designstore-refactor',
      'sqlite-cms-refactor',
    ]);
    expect((await query(root, 'sessions', '--owner', '@TJPilant')).map((s) => s.session)).toEqual([
      'notion-designstore-refactor',
    ]);
    const untested = await query(root, 'requirements-without-tests', '--session', 'agent-spec-compiler');
    expect(untested.map((r) => r.requirement)).toEqual([
      'FR-1',
      'FR-2',
      'FR-3',
      'FR-4',
      'FR-5',
      'FR-6',
      'FR-7',
      'AC-1',
      'AC-2',
      'AC-3',
      'AC-4',
      'AC-5',
      'AC-6',
    ]);
    // The registry names gpt-codex as the implementer; asking for codex finds its tasks.
    const codex = await query(root, 'open-tasks', '--agent', 'codex');
    expect(codex.length).toBeGreaterThan(0);
    expect(new Set(codex.map((t) => t.agent))).toEqual(new Set(['gpt-codex']));
  });

  it('exports the chosen stages’ docs whole and section by section', async () => {
    const root = corpus();
    const run = await idse(
      ['export', '--session', 'agent-spec-compiler', '--stage', 'spec', '--stage', 'tasks'],
      { cwd: root },
    );
    const doc = JSON.parse(run.stdout);
    expect(doc.stages).toEqual(['spec', 'tasks']);
    const [session] = doc.sessions;
    expect(session.docs.map((d: { kind: string }) => d.kind).sort()).toEqual(['spec', 'tasks']);
    const spec = session.docs.find((d: { kind: string }) => d.kind === 'spec');
    expect(spec.text).toBe(readFileSync(join(root, spec.path), 'utf8'));
    const profile = spec.sections.find((s: { title: string }) => s.title === 'Agent Profile');
    expect(profile.text.startsWith('```yaml\nid: agent-spec-compiler\n')).toBe(true);
    expect(session.tasks[0]).toMatchObject({
      key: '0.1',
      done: false,
      agent: 'gpt-codex',
      file: expect.stringContaining('tasks/tasks.md'),
    });
  });

  it('refuses what it cannot answer with a coded error, never a crash', async () => {
    const root = corpus();
    writeFileSync(join(root, 'bad.json'), '{"schema": "idse.export/v1", "sessions": 3}');
    writeFileSync(join(root, 'notjson.json'), '{');
    const cases: [string[], string][] = [
      [['query', 'everything'], "unknown query 'everything' (queries: open-tasks, ready-tasks"],
      [['query', 'markers', '--status', 'draft'], 'markers does not filter by --status [usage]'],
      [['query', 'sessions', '--from', 'bad.json'], 'bad.json: not an idse export: `tool`'],
      [['query', 'sessions', '--from', 'notjson.json'], 'notjson.json: not JSON'],
      [['query', 'sessions', '--from', 'nowhere.json'], 'does not exist [path-not-found]'],
      [['export', '--stage', 'design'], "unknown stage 'design'"],
      [['export', '--session', 'nope'], 'no session matches nope'],
      [['export', '--out', '../outside.json'], 'the output must be inside the workspace'],
    ];
    for (const [args, message] of cases) {
      const run = await idse(args, { cwd: root });
      expect({ args, code: run.code }).toEqual({ args, code: 2 });
      expect(run.stderr).toContain(message);
    }
  });
});
