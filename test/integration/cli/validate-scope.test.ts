import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../../src/report/schema.ts';
import { idse, tempDir } from '../../helpers/cli.ts';

function write(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

const GOOD = '# Intent: a\n\n## Goal\n\nExport reports as CSV.\n';
/** Short docs: the rules about missing docs and sections would only add noise here. */
const QUIET = 'rules:\n  required-doc: off\n  required-section: off\n  spec-not-traced-to-intent: off\n';

/** A session with one error (a marker in its started spec) and one without findings. */
function twoSessions(): string {
  const root = tempDir();
  write(root, {
    'idse.config.yml': QUIET,
    'projects/p/sessions/a/intents/intent.md': GOOD,
    'projects/p/sessions/a/specs/spec.md':
      '# Spec\n\n## Overview\n\nCSV export.\n\n## Open Questions\n\n- Limit? [REQUIRES INPUT]\n',
    'projects/p/sessions/b/intents/intent.md': GOOD.replace('a', 'b'),
  });
  return root;
}

describe('idse validate: what a run checked', () => {
  it('exits 2 when it finds no session, unless the config allows an empty workspace', async () => {
    const root = tempDir();
    write(root, { 'docs/readme.md': '# Notes\n' });
    const run = await idse(['validate'], { cwd: root });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^idse: no IDSE sessions found under \. .*\[no-sessions\]\n$/);

    const scoped = await idse(['validate', 'docs'], { cwd: root });
    expect(scoped.code).toBe(2);
    expect(scoped.stderr).toContain('no IDSE sessions found under docs');

    write(root, { 'idse.config.yml': 'allowEmptyWorkspace: true\n' });
    const allowed = await idse(['validate'], { cwd: root });
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toBe('✔ no problems in 0 files\n');
  });

  it('states the scope of a run over some paths and counts only those files and sessions', async () => {
    const root = twoSessions();
    const whole = JSON.parse((await idse(['validate', '--format', 'json'], { cwd: root })).stdout) as Report;
    expect(whole.summary).toMatchObject({ files: 3, sessions: 2, errors: 1 });
    expect(whole.scope).toBeUndefined();

    const one = await idse(['validate', 'projects/p/sessions/b'], { cwd: root });
    expect(one.code).toBe(0);
    expect(one.stdout).toBe('✔ no problems in 1 file under projects/p/sessions/b\n');
    const json = JSON.parse(
      (await idse(['validate', 'projects/p/sessions/b', '--format', 'json'], { cwd: root })).stdout,
    ) as Report;
    expect(json.scope).toEqual({ paths: ['projects/p/sessions/b'] });
    expect(json.summary).toMatchObject({ files: 1, sessions: 1, errors: 0 });
    expect(json.sessions.map((s) => s.session)).toEqual(['b']);
  });

  it('makes JUnit failures agree with the exit code', async () => {
    const root = twoSessions();
    const failures = (xml: string): number =>
      Number(
        new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml).testsuites.failures,
      );

    const errors = await idse(['validate', '--format', 'junit'], { cwd: root });
    expect([errors.code, failures(errors.stdout)]).toEqual([1, 1]);

    // Fix the error, add a warning (an empty section): exit 0 and no failure, unless warnings fail the run.
    write(root, {
      'projects/p/sessions/a/specs/spec.md': '# Spec\n\n## Overview\n\nCSV export.\n\n## Open Questions\n',
    });
    const warnings = await idse(['validate', '--format', 'junit'], { cwd: root });
    expect([warnings.code, failures(warnings.stdout)]).toEqual([0, 0]);
    expect(warnings.stdout).toContain('<system-out>warning IDSE009/empty-section');
    const strict = await idse(['validate', '--format', 'junit', '--strict'], { cwd: root });
    expect([strict.code, failures(strict.stdout)]).toEqual([1, 1]);
    const max = await idse(['validate', '--format', 'junit', '--max-warnings', '0'], { cwd: root });
    expect([max.code, failures(max.stdout)]).toEqual([1, 1]);
  });

  it('takes the profile from --profile over the config, and refuses an unknown one', async () => {
    const root = twoSessions();
    write(root, {
      'projects/p/sessions/b/feedback/feedback.md':
        '# Feedback\n\n## External / Internal Feedback\n\nFinance liked it.\n',
    });
    const codeOf = (r: Report) => r.diagnostics.filter((d) => d.code === 'IDSE017').map((d) => d.severity);
    const recommended = JSON.parse(
      (await idse(['validate', '--format', 'json'], { cwd: root })).stdout,
    ) as Report;
    expect([recommended.profile, codeOf(recommended)]).toEqual(['recommended', ['info']]);
    write(root, { 'idse.config.yml': `profile: strict\n${QUIET}` });
    const strict = JSON.parse((await idse(['validate', '--format', 'json'], { cwd: root })).stdout) as Report;
    expect([strict.profile, codeOf(strict)]).toEqual(['strict', ['error']]);
    const back = await idse(['validate', '--format', 'json', '--profile', 'recommended'], { cwd: root });
    expect(codeOf(JSON.parse(back.stdout) as Report)).toEqual(['info']);
    const bad = await idse(['validate', '--profile', 'lenient'], { cwd: root });
    expect(bad.code).toBe(2);
    write(root, { 'idse.config.yml': 'profile: lenient\n' });
    const badConfig = await idse(['validate'], { cwd: root });
    expect(badConfig.code).toBe(2);
    expect(badConfig.stderr).toMatch(/idse\.config\.yml:1: .*profile.*\[config-invalid\]/);
  });
});
