import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/cli.ts';
import { runAction, scaffold } from './harness.ts';

/** A step that could not check at all: exit 2, exactly one error line, no stack, no outputs. */
function expectUsageFailure(run: ReturnType<typeof runAction>, line: string): void {
  expect(run.status).toBe(2);
  expect(run.stdout).toBe(`::error::${line}\n`);
  expect(run.stderr).toBe('');
  expect(run.outputs).toEqual({});
  expect(run.summary).toBe('');
}

describe('the action when it cannot check', () => {
  it('fails on a path that does not exist', () => {
    const checkout = tempDir('idse-action-');
    const run = runAction({ checkout, inputs: { path: 'no/such/folder' } });
    expectUsageFailure(run, 'idse: workspace root not found: no/such/folder [path-not-found]');
  });

  it('fails on an invalid config, naming file, line and key', async () => {
    const checkout = tempDir('idse-action-');
    await scaffold(checkout);
    writeFileSync(join(checkout, 'idse.config.yml'), 'rules:\n  IDSE010: loud\n');
    const run = runAction({ checkout });
    expectUsageFailure(
      run,
      `idse: ${join(checkout, 'idse.config.yml')}:2: \`rules.IDSE010\`: Invalid option: expected one of "error"|"warning"|"info"|"off" [config-invalid]`,
    );
  });

  it('fails on a config input that does not exist', () => {
    const checkout = tempDir('idse-action-');
    const run = runAction({ checkout, inputs: { config: 'missing.yml' } });
    expect(run.status).toBe(2);
    expect(run.stdout).toMatch(
      new RegExp(
        `^::error::idse: ${join(checkout, 'missing.yml')}: cannot read config: ENOENT[^\\n]*\\[config-unreadable\\]\\n$`,
      ),
    );
  });

  it.each([
    ['fail-on', 'sometimes', "input 'fail-on' must be one of error, warning, never (got 'sometimes')"],
    [
      'format',
      'html',
      "input 'format' must be one of pretty, json, sarif, github, junit, markdown (got 'html')",
    ],
    ['changed-only', 'yes', "input 'changed-only' must be true or false (got 'yes')"],
  ])('fails on %s: %s', (name, value, message) => {
    const checkout = tempDir('idse-action-');
    const run = runAction({ checkout, inputs: { [name]: value } });
    expectUsageFailure(run, `idse: ${message} [usage]`);
  });

  it('fails when the SARIF file cannot be written', async () => {
    const checkout = tempDir('idse-action-');
    await scaffold(checkout);
    writeFileSync(join(checkout, 'taken'), 'a file, not a folder\n');
    const run = runAction({ checkout, inputs: { 'sarif-file': 'taken/idse.sarif' } });
    expect(run.status).toBe(2);
    expect(run.stdout.split('\n').filter((l) => l.startsWith('::error::'))).toEqual([
      expect.stringMatching(
        /^::error::idse: cannot write sarif-file taken\/idse\.sarif: EEXIST: [^\n]* \[usage\]$/,
      ),
    ]);
    expect(run.stdout).not.toMatch(/^\s+at /m);
    expect(run.stderr).toBe('');
  });

  it('reports an unexpected failure in one line too, the stack only in debug output', async () => {
    const checkout = tempDir('idse-action-');
    await scaffold(checkout);
    const missing = join(checkout, 'no-such-dir/summary.md');
    const run = runAction({
      checkout,
      inputs: { 'fail-on': 'never' },
      env: { GITHUB_STEP_SUMMARY: missing },
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('');
    expect(workflowLines(run.stdout, 'error::')).toEqual([
      `::error::idse: internal error: Unable to access summary file: '${missing}'. Check if the file has correct read/write permissions.`,
    ]);
    expect(run.stdout).not.toMatch(/^\s+at /m);
    // Beside idse's own progress lines ("idse: checked …"), the stack is the only debug output.
    const debug = workflowLines(run.stdout, 'debug::').filter((line) => !line.startsWith('::debug::idse: '));
    expect(debug).toHaveLength(1);
    expect(debug[0]).toMatch(/^::debug::Error: Unable to access summary file: .*%0A {4}at /);
  });
});

const workflowLines = (stdout: string, prefix: string): string[] =>
  stdout.split('\n').filter((line) => line.startsWith(`::${prefix}`));
