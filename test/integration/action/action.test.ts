import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { idse, tempDir } from '../../helpers/cli.ts';
import {
  answerMarkers,
  type CliDiagnostic,
  cliReport,
  runAction,
  SESSION,
  scaffold,
  workflowCommands,
} from './harness.ts';

const KIND = { error: 'error', warning: 'warning', info: 'notice' } as const;

/** The workflow command @actions/core prints for a diagnostic (its property order and escaping). */
function annotation(d: CliDiagnostic, dir = ''): string {
  const esc = (s: string) => s.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
  const prop = (s: string) => esc(s).replaceAll(':', '%3A').replaceAll(',', '%2C');
  const props = [`title=${prop(`${d.code} ${d.rule}`)}`, `file=${prop(`${dir}${d.file}`)}`];
  if (d.range) {
    const { start, end } = d.range;
    props.push(`line=${start.line}`, `endLine=${end.line}`, `col=${start.column}`, `endColumn=${end.column}`);
  }
  return `::${KIND[d.severity]} ${props.join(',')}::${esc(d.message)}`;
}

/** The text the action wraps in stop-commands, with the token it chose. */
function logBlock(stdout: string): string | undefined {
  const token = /^::stop-commands::(\S+)$/m.exec(stdout)?.[1];
  if (!token) return undefined;
  const start = stdout.indexOf(`::stop-commands::${token}\n`) + `::stop-commands::${token}\n`.length;
  return stdout.slice(start, stdout.indexOf(`::${token}::\n`, start));
}

describe('the action on a workspace with findings', () => {
  it('fails with exit 1, one annotation per finding, outputs, a full job summary and the log', async () => {
    const checkout = tempDir('idse-action-');
    await scaffold(checkout);
    // The strict profile, read from the config as every face reads it, also reports the markers of the
    // untouched templates after the work front (warnings); the recommended profile leaves them be.
    writeFileSync(join(checkout, 'idse.config.yml'), 'profile: strict\n');
    const cli = await cliReport(checkout);
    // The fresh scaffold has markers at the work front (errors) and after it (warnings).
    expect(cli.summary.errors).toBeGreaterThan(10);
    expect(cli.summary.warnings).toBeGreaterThan(10);

    const run = runAction({ checkout });
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('');

    const errors = workflowCommands(run.stdout, 'error');
    const failure = `::error::idse: ${cli.summary.errors} errors and ${cli.summary.warnings} warnings in IDSE docs (fail-on: error)`;
    expect(errors.at(-1)).toBe(failure);
    expect([...errors.slice(0, -1), ...workflowCommands(run.stdout, 'warning')].sort()).toEqual(
      cli.diagnostics.map((d) => annotation(d)).sort(),
    );
    expect(errors[0]).toMatch(
      new RegExp(
        `^::error title=IDSE010 unresolved-input,file=${SESSION}/intents/intent\\.md,line=\\d+,endLine=\\d+,col=\\d+,endColumn=\\d+::unresolved input: resolve this marker before moving past the intent stage$`,
      ),
    );

    // GitHub drops annotations past 10 of a kind: the log says how many and where to find them.
    const hiddenErrors = cli.summary.errors - 10;
    const hiddenWarnings = cli.summary.warnings - 10;
    expect(run.stdout).toContain(
      `\nidse: GitHub shows 10 annotations of each kind per step: ${hiddenErrors} error${hiddenErrors === 1 ? '' : 's'}, ${hiddenWarnings} warnings not shown as annotations; the job summary lists every finding.\n`,
    );

    expect(run.outputs).toEqual({
      errors: String(cli.summary.errors),
      warnings: String(cli.summary.warnings),
      // The project's __blueprint__ and its kickoff session.
      sessions: '2',
      'sarif-file': '',
    });

    // The summary is the markdown report: counts, the session table, every finding.
    const markdown = await idse(['validate', '--no-cache', '--format', 'markdown'], { cwd: checkout });
    expect(run.summary).toBe(markdown.stdout);
    expect(run.summary).toContain(
      `## ❌ IDSE: ${cli.summary.errors} errors, ${cli.summary.warnings} warnings\n`,
    );
    expect(run.summary).toContain(
      '| Project | Session | Stage | Errors | Warnings | Requirements with tasks | Requirements with tests |',
    );
    expect(run.summary).toMatch(
      new RegExp(
        `^\\| demo \\| kickoff \\| — \\| ${cli.summary.errors} \\| ${cli.summary.warnings} \\| \\d+/\\d+ \\| \\d+/\\d+ \\|$`,
        'm',
      ),
    );
    expect(run.summary.match(/^- \*\*IDSE\d{3}\*\*/gm)).toHaveLength(cli.diagnostics.length);

    // The pretty listing is in the log, fenced off from workflow-command parsing.
    const pretty = await idse(['validate', '--no-cache'], { cwd: checkout });
    expect(logBlock(run.stdout)).toBe(pretty.stdout);
  });

  it('passes with fail-on: never, findings still annotated and counted', async () => {
    const checkout = tempDir('idse-action-');
    await scaffold(checkout);
    const cli = await cliReport(checkout);
    const run = runAction({ checkout, inputs: { 'fail-on': 'never' } });
    expect(run.status).toBe(0);
    expect(workflowCommands(run.stdout, 'error')).toHaveLength(cli.summary.errors);
    expect(run.stdout).not.toContain('::error::');
    expect(run.outputs.errors).toBe(String(cli.summary.errors));
  });

  it('fails on warnings only with fail-on: warning', async () => {
    const checkout = tempDir('idse-action-');
    await scaffold(checkout);
    // Every marker becomes a warning, so there are warnings and no errors.
    writeFileSync(join(checkout, 'idse.config.yml'), 'rules:\n  unresolved-input: warning\n');
    const cli = await cliReport(checkout);
    expect(cli.summary).toMatchObject({ errors: 0 });
    expect(cli.summary.warnings).toBeGreaterThan(10);

    const lenient = runAction({ checkout });
    expect(lenient.status).toBe(0);
    expect(lenient.stdout).not.toContain('::error');
    expect(lenient.stdout).toContain(
      `\nidse: GitHub shows 10 annotations of each kind per step: ${cli.summary.warnings - 10} warnings not shown as annotations; the job summary lists every finding.\n`,
    );

    const strict = runAction({ checkout, inputs: { 'fail-on': 'warning' } });
    expect(strict.status).toBe(1);
    expect(workflowCommands(strict.stdout, 'error')).toEqual([
      `::error::idse: 0 errors and ${cli.summary.warnings} warnings in IDSE docs (fail-on: warning)`,
    ]);
    expect(strict.outputs).toMatchObject({ errors: '0', warnings: String(cli.summary.warnings) });
  });

  it('prints the log in the format asked for', async () => {
    const checkout = tempDir('idse-action-');
    await scaffold(checkout);
    const cli = await cliReport(checkout);
    const json = runAction({ checkout, inputs: { format: 'json', 'fail-on': 'never' } });
    expect(JSON.parse(logBlock(json.stdout)!)).toMatchObject({ summary: cli.summary });
    // The github format is the annotations themselves: no second copy in the log.
    const github = runAction({ checkout, inputs: { format: 'github', 'fail-on': 'never' } });
    expect(logBlock(github.stdout)).toBeUndefined();
    expect(workflowCommands(github.stdout, 'warning')).toHaveLength(cli.summary.warnings);
  });
});

describe('the job summary of several sessions', () => {
  it('counts each session in its own row', async () => {
    const checkout = tempDir('idse-action-');
    await scaffold(checkout, 'demo');
    await scaffold(checkout, 'other');
    answerMarkers(checkout, SESSION);
    const cli = await cliReport(checkout);
    const inOther = cli.diagnostics.filter((d) => d.file.startsWith('projects/other/'));
    expect(inOther).toHaveLength(cli.diagnostics.length);

    const run = runAction({ checkout, inputs: { 'fail-on': 'never' } });
    // Each project: its __blueprint__ and kickoff.
    expect(run.outputs.sessions).toBe('4');
    const row = (project: string) =>
      new RegExp(`^\\| ${project} \\| kickoff \\| [^|]+ \\| (\\d+) \\| (\\d+) \\|`, 'm')
        .exec(run.summary)
        ?.slice(1);
    expect(row('demo')).toEqual(['0', '0']);
    expect(row('other')).toEqual([String(cli.summary.errors), String(cli.summary.warnings)]);
  });
});

describe('the action on a clean workspace', () => {
  it('passes with exit 0, no annotations and errors=0', async () => {
    const checkout = tempDir('idse-action-');
    await scaffold(checkout);
    answerMarkers(checkout);
    const cli = await cliReport(checkout);
    expect(cli.diagnostics).toEqual([]);

    const run = runAction({ checkout, inputs: { 'fail-on': 'warning' } });
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).not.toMatch(/^::(error|warning|notice)/m);
    expect(run.stdout).not.toContain('not shown as annotations');
    expect(run.outputs).toEqual({ errors: '0', warnings: '0', sessions: '2', 'sarif-file': '' });
    expect(run.summary).toMatch(/^## ✅ IDSE: no problems\n\nChecked \d+ files in 2 sessions\.\n/);
    expect(run.summary).toMatch(/^\| demo \| kickoff \| \S+ \| 0 \| 0 \| \d+\/\d+ \| \d+\/\d+ \|$/m);
    expect(run.summary).not.toContain('### Findings');
  });

  it('passes on a repository with no IDSE docs and says so in the summary', () => {
    const checkout = tempDir('idse-action-');
    writeFileSync(join(checkout, 'package.json'), '{}\n');
    const run = runAction({ checkout });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('idse: no IDSE docs found under .\n');
    expect(run.outputs).toEqual({ errors: '0', warnings: '0', sessions: '0', 'sarif-file': '' });
    expect(run.summary).toBe(
      '## ✅ IDSE: no IDSE docs found\n\nNo IDSE pipeline docs were found under `.`, so there was nothing to check.\n',
    );
  });
});
