import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/cli.ts';
import {
  cliReport,
  commitAll,
  examplePayload,
  git,
  runAction,
  scaffold,
  workflowCommands,
} from './harness.ts';

const ZERO_SHA = '0'.repeat(40);
const CHANGED = 'projects/other/sessions/kickoff/intents/intent.md';

/** Annotated files, from the workflow commands in the log. */
const annotatedFiles = (stdout: string): string[] =>
  [...workflowCommands(stdout, 'error'), ...workflowCommands(stdout, 'warning')].flatMap(
    (line) => /file=([^,:]+)/.exec(line)?.[1] ?? [],
  );

/**
 * A repository with two scaffolded projects (both full of findings) committed, then one doc of one
 * session changed in a second commit, as a push or a pull request would bring it.
 */
async function twoSessionRepo(workspace = ''): Promise<{ checkout: string; first: string }> {
  const checkout = tempDir('idse-action-git-');
  git(checkout, ['init', '-q', '-b', 'main']);
  const root = join(checkout, workspace);
  mkdirSync(root, { recursive: true });
  await scaffold(root, 'demo');
  await scaffold(root, 'other');
  const first = commitAll(checkout, 'two sessions');
  appendFileSync(join(root, CHANGED), '\nA new paragraph that still needs [REQUIRES INPUT].\n');
  commitAll(checkout, 'edit one intent');
  return { checkout, first };
}

describe('changed-only', () => {
  it('on a push reports only the changed session, compared with the commit before the push', async () => {
    const { checkout, first } = await twoSessionRepo();
    const all = await cliReport(checkout);
    const changed = await cliReport(checkout, ['--changed', '--base', first]);
    expect(changed.summary.errors).toBeGreaterThan(0);
    expect(changed.summary.errors).toBeLessThan(all.summary.errors);

    const payload = examplePayload('push', (p) => String(p.ref).startsWith('refs/heads/'));
    Object.assign(payload, { before: first, after: git(checkout, ['rev-parse', 'HEAD']), created: false });
    const run = runAction({
      checkout,
      inputs: { 'changed-only': 'true', 'fail-on': 'never' },
      event: { name: 'push', payload },
    });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(
      `idse: changed-only: reporting files changed since ${first} (the commit before the push).\n`,
    );
    expect(run.outputs).toMatchObject({
      errors: String(changed.summary.errors),
      warnings: String(changed.summary.warnings),
    });
    const files = annotatedFiles(run.stdout);
    expect(files).toHaveLength(changed.diagnostics.length);
    expect(files.every((f) => f.startsWith('projects/other/sessions/kickoff'))).toBe(true);
    expect(files).toContain(CHANGED);
    expect(run.summary).toContain(
      `\n_changed-only: reporting files changed since ${first} (the commit before the push)._\n`,
    );
  });

  it("on a pull request compares with the pull request's base", async () => {
    const { checkout, first } = await twoSessionRepo();
    const changed = await cliReport(checkout, ['--changed', '--base', first]);
    const payload = examplePayload('pull_request', (p) => p.action === 'synchronize');
    (payload.pull_request as { base: { sha: string } }).base.sha = first;
    const run = runAction({
      checkout,
      inputs: { 'changed-only': 'true' },
      event: { name: 'pull_request', payload },
    });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(`(the pull request's base)`);
    expect(run.outputs.errors).toBe(String(changed.summary.errors));
    expect(annotatedFiles(run.stdout).every((f) => f.startsWith('projects/other/'))).toBe(true);
  });

  it('validates everything when the push created the branch (all-zero before)', async () => {
    const { checkout } = await twoSessionRepo();
    const all = await cliReport(checkout);
    const payload = examplePayload(
      'push',
      (p) => p.before === ZERO_SHA && String(p.ref).startsWith('refs/heads/'),
    );
    const run = runAction({
      checkout,
      inputs: { 'changed-only': 'true', 'fail-on': 'never' },
      event: { name: 'push', payload },
    });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(
      'idse: changed-only: reporting every file, since the push created the branch, so there is no commit before it.\n',
    );
    // Two projects, each with its __blueprint__ and kickoff.
    expect(run.outputs).toMatchObject({ errors: String(all.summary.errors), sessions: '4' });
    expect(new Set(annotatedFiles(run.stdout).map((f) => f.split('/')[1]))).toEqual(
      new Set(['demo', 'other']),
    );
  });

  it('fails with exit 2 and a checkout hint when the base commit is not in the clone', async () => {
    const { checkout } = await twoSessionRepo();
    // The example's base SHA, untouched: a commit this repository does not have (a shallow clone).
    const payload = examplePayload('pull_request', (p) => p.action === 'opened');
    const sha = (payload.pull_request as { base: { sha: string } }).base.sha;
    const run = runAction({
      checkout,
      inputs: { 'changed-only': 'true' },
      event: { name: 'pull_request', payload },
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('');
    expect(workflowCommands(run.stdout, 'error')).toEqual([
      `::error::idse: Unknown base ref '${sha}': fetch it or pass a commit SHA (--base); changed-only needs the base commit: use actions/checkout with fetch-depth: 0 [git-failed]`,
    ]);
    expect(run.outputs).toEqual({});
  });

  it('maps paths of a workspace in a subfolder to the checkout, with an explicit base', async () => {
    const { checkout, first } = await twoSessionRepo('docs');
    const changed = await cliReport(join(checkout, 'docs'), ['--changed', '--base', first]);
    const run = runAction({
      checkout,
      inputs: { path: 'docs', 'changed-only': 'true', base: first, 'fail-on': 'never' },
      // A manual run carries no base of its own: the input decides.
      event: { name: 'workflow_dispatch', payload: { inputs: {} } },
    });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(
      `idse: changed-only: reporting files changed since ${first} (the base input).\n`,
    );
    const files = annotatedFiles(run.stdout);
    expect(files).toHaveLength(changed.diagnostics.length);
    expect(files).toContain(`docs/${CHANGED}`);
    expect(files.every((f) => f.startsWith('docs/projects/other/'))).toBe(true);
    expect(run.summary).toContain(`#### docs/${CHANGED.replaceAll('_', '\\_')}\n`);
  });
});
