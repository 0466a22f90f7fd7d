import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { idse, tempDir } from '../../helpers/cli.ts';

const SESSION = 'projects/demo/sessions/kickoff';

function fillAllMarkers(root: string): void {
  for (const entry of readdirSync(join(root, SESSION), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.md')) continue;
    const path = join(entry.parentPath, entry.name);
    writeFileSync(
      path,
      readFileSync(path, 'utf8').replaceAll('[REQUIRES INPUT]', 'Decided and written down'),
    );
  }
}

describe('idse init → validate', () => {
  it('scaffolds a session that reports its markers with file:line:col and exits 1, then 0 once filled', async () => {
    const root = tempDir();
    const init = await idse(['init', 'demo'], { cwd: root });
    expect(init.code).toBe(0);
    expect(init.stdout).toContain(`${SESSION}/intents/intent.md`);
    expect(readFileSync(join(root, 'projects/demo/CURRENT_SESSION'), 'utf8')).toBe('kickoff\n');

    const first = await idse(['validate'], { cwd: root });
    expect(first.code).toBe(1);
    expect(first.stdout).toMatch(
      new RegExp(`${SESSION}/intents/intent\\.md:\\d+:\\d+\\s+error\\s+unresolved input`),
    );
    expect(first.stdout).toContain('IDSE010/unresolved-input');

    fillAllMarkers(root);
    const second = await idse(['validate'], { cwd: root });
    expect(second.stdout).toContain('no problems');
    expect(second.code).toBe(0);
  });

  it('never overwrites without --force, and writes nothing at all when it refuses', async () => {
    const root = tempDir();
    await idse(['init', 'demo'], { cwd: root });
    const intent = join(root, SESSION, 'intents/intent.md');
    writeFileSync(intent, '# my own words\n');
    const again = await idse(['init', 'demo'], { cwd: root });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exist.*nothing was written.*--force.*\[write-conflict\]/);
    expect(readFileSync(intent, 'utf8')).toBe('# my own words\n');

    const forced = await idse(['init', 'demo', '--force'], { cwd: root });
    expect(forced.code).toBe(0);
    expect(readFileSync(intent, 'utf8')).toContain('# Intent: kickoff');
  });

  it('writes owners that YAML would misread (like @alice) as valid front matter', async () => {
    const root = tempDir();
    expect((await idse(['init', 'demo', '--owner', '@alice'], { cwd: root })).code).toBe(0);
    const report = JSON.parse((await idse(['validate', '--format', 'json'], { cwd: root })).stdout);
    expect(
      report.diagnostics.filter((d: { code: string }) => ['IDSE003', 'IDSE006'].includes(d.code)),
    ).toEqual([]);
    const bad = await idse(['init', 'other', '--owner', 'a"b', '--root', 'x'], { cwd: root });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("invalid owner 'a\"b'");
  });

  it('rejects names that are not safe folder names', async () => {
    const root = tempDir();
    const bad = await idse(['init', '../escape'], { cwd: root });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("invalid project name '../escape'");
    expect(readdirSync(root)).toEqual([]);
  });

  it('exits 2 with a located message for a bad config, and for unknown options', async () => {
    const root = tempDir();
    await idse(['init', 'demo'], { cwd: root });
    writeFileSync(join(root, 'idse.config.yml'), 'rules:\n  IDSE010: loud\n');
    const bad = await idse(['validate'], { cwd: root });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      `idse: ${join(root, 'idse.config.yml')}:2: \`rules.IDSE010\`: Invalid option: expected one of "error"|"warning"|"info"|"off" [config-invalid]\n`,
    );
    const usage = await idse(['validate', '--frobnicate'], { cwd: root });
    expect(usage.code).toBe(2);
    const missing = await idse(['validate', 'no/such/path'], { cwd: root });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('path not found: no/such/path [path-not-found]');
  });

  it('applies severity config, --max-warnings and --quiet', async () => {
    const root = tempDir();
    await idse(['init', 'demo'], { cwd: root });
    writeFileSync(join(root, 'idse.config.yml'), 'rules:\n  unresolved-input: warning\n');
    const lenient = await idse(['validate', '--format', 'json'], { cwd: root });
    const report = JSON.parse(lenient.stdout) as { summary: { errors: number; warnings: number } };
    expect(lenient.code).toBe(0);
    expect(report.summary.errors).toBe(0);
    expect(report.summary.warnings).toBeGreaterThan(10);
    expect((await idse(['validate', '--max-warnings', '10'], { cwd: root })).code).toBe(1);
    expect((await idse(['validate', '--strict'], { cwd: root })).code).toBe(1);
    const quiet = await idse(['validate', '--quiet'], { cwd: root });
    expect(quiet.stdout).not.toContain('warning');
  });
});
