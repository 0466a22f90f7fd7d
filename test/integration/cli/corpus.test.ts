import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../../src/report/schema.ts';
import { idse } from '../../helpers/cli.ts';

// A real upstream workspace (tjpilant/idse-orchestrator, MIT; see its LICENSE), kept unchanged.
const CORPUS = fileURLToPath(new URL('../../fixtures/corpus/idse-orchestrator', import.meta.url));
const SESSIONS = [
  '__blueprint__',
  'agent-spec-compiler',
  'blueprint-bootstrap-lifecycle',
  'component-impact-parser',
  'designstore-file-artifacts',
  'item8-test-session',
  'notion-designstore-refactor',
  'sqlite-cms-refactor',
];
/** Rules whose findings would mean we misread the upstream layout or files. */
const LAYOUT_RULES = ['IDSE001', 'IDSE002', 'IDSE003', 'IDSE004', 'IDSE005', 'IDSE006'];

describe('an existing upstream IDSE workspace', () => {
  it('validates with no change and no config: every session found, nothing misread', async () => {
    const run = await idse(['validate', '--format', 'json', '--root', CORPUS, '--no-cache'], { cwd: CORPUS });
    expect(run.stderr).toBe('');
    expect(run.code).not.toBe(2);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.sessions.map((s) => s.session)).toEqual(SESSIONS);
    expect(report.sessions.every((s) => s.project === 'idse-orchestrator')).toBe(true);
    expect(report.sessions.find((s) => s.current)?.session).toBe('__blueprint__');
    expect(report.diagnostics.filter((d) => LAYOUT_RULES.includes(d.code))).toEqual([]);
    // Upstream task styles are read: every session's tasks are counted.
    expect(
      report.sessions.find((s) => s.session === 'blueprint-bootstrap-lifecycle')?.coverage,
    ).toMatchObject({
      tasks: 15,
      tasksDone: 15,
      requirements: 16,
    });
    // The genuine findings: item8 is an unfilled upstream template.
    const errors = report.diagnostics
      .filter((d) => d.severity === 'error')
      .map((d) => `${d.code} ${d.session}`);
    expect(errors).toEqual(['IDSE010 item8-test-session']);
  });
});

describe('run from inside a session folder', () => {
  it('finds the workspace above it and reports that folder, paths relative to where it runs', async () => {
    const session = `${CORPUS}/.idse/projects/idse-orchestrator/sessions/item8-test-session`;
    const run = await idse(['validate', '--quiet', '--no-cache'], { cwd: session });
    expect(run.stdout).toMatch(/^specs\/spec\.md:29:3\s+error\s+unresolved input/m);
    expect(run.code).toBe(1);
    const status = JSON.parse((await idse(['status', '--json'], { cwd: `${session}/..` })).stdout);
    expect(status.sessions).toHaveLength(SESSIONS.length);
  });
});
