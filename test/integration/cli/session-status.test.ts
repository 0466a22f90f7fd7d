import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SessionSummary } from '../../../src/report/schema.ts';
import { upstreamTimestamp } from '../../../src/sessions/time.ts';
import { idse, tempDir } from '../../helpers/cli.ts';

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], {
    cwd,
    stdio: 'pipe',
  }).toString();

describe('idse session and status', () => {
  it('creates, lists, closes and archives sessions, keeping CURRENT_SESSION right', async () => {
    const root = tempDir();
    await idse(['init', 'demo'], { cwd: root });
    const created = await idse(['session', 'new', 'payments'], { cwd: root });
    expect(created.code).toBe(0);
    expect(readFileSync(join(root, 'projects/demo/CURRENT_SESSION'), 'utf8')).toBe('payments\n');
    expect((await idse(['session', 'new', 'payments'], { cwd: root })).code).toBe(2);

    const list = JSON.parse(
      (await idse(['session', 'list', '--json'], { cwd: root })).stdout,
    ) as (SessionSummary & { type: string })[];
    expect(list.map((s) => [s.session, s.type, s.current, s.status])).toEqual([
      ['__blueprint__', 'blueprint', false, 'draft'],
      ['kickoff', 'feature', false, 'draft'],
      ['payments', 'feature', true, 'draft'],
    ]);

    // Unwritten templates block closing; forced, the close is recorded and IDSE021 still reports
    // the empty feedback (Article IX).
    expect((await idse(['session', 'close', 'kickoff'], { cwd: root })).code).toBe(1);
    expect((await idse(['session', 'close', 'kickoff', '--force'], { cwd: root })).code).toBe(0);
    const meta = readFileSync(join(root, 'projects/demo/sessions/kickoff/metadata/meta.md'), 'utf8');
    expect(meta).toMatch(/^---\nsession: kickoff\nproject: demo\nowner: .+\nstatus: complete\n/);
    const validate = await idse(['validate', '--format', 'json'], { cwd: root });
    expect(validate.stdout).toContain('"code": "IDSE021"');

    expect((await idse(['session', 'archive', 'payments'], { cwd: root })).code).toBe(0);
    const status = JSON.parse((await idse(['status', '--json'], { cwd: root })).stdout) as {
      sessions: SessionSummary[];
    };
    expect(status.sessions.map((s) => s.status)).toEqual(['draft', 'complete', 'archived']);
    expect((await idse(['session', 'close', 'nope'], { cwd: root })).stderr).toContain(
      "no session 'nope' in demo",
    );
  });

  it('updates an orchestrator session.json in place, in the file’s own layout', async () => {
    const root = tempDir();
    const dir = join(root, '.idse/projects/p/sessions/s');
    execFileSync('mkdir', ['-p', join(dir, 'metadata'), join(dir, 'intents')]);
    writeFileSync(join(dir, 'intents/intent.md'), '# Intent\n\n## Goal\n\nA goal.\n');
    writeFileSync(
      join(dir, 'metadata/session.json'),
      JSON.stringify({ session_id: 's', status: 'draft', updated_at: 'x', tags: [] }),
    );
    expect((await idse(['session', 'archive', 's'], { cwd: root })).code).toBe(0);
    expect(readFileSync(join(dir, 'metadata/session.json'), 'utf8')).toBe(
      `{"session_id":"s","status":"archived","updated_at":${JSON.stringify(upstreamTimestamp(new Date('2026-11-25T12:00:00Z')))},"tags":[]}`,
    );
  });

  it('prints a status table with stage, coverage and findings', async () => {
    const root = tempDir();
    await idse(['init', 'demo'], { cwd: root });
    const status = await idse(['status'], { cwd: root });
    expect(status.code).toBe(0);
    const [header, blueprint, row] = status.stdout.split('\n');
    expect(blueprint).toMatch(/^ {2}demo\/__blueprint__\s+—\s+draft\s+1 \(-8\)\s/);
    expect(header).toMatch(
      /^project\/session\s+stage\s+status\s+docs\s+markers\s+req→task\s+req→test\s+tasks done\s+errors\s+warnings$/,
    );
    // A fresh session is at the intent stage; its templates' FR-1 and Task 0.1 are placeholders, not counted.
    expect(row).toMatch(/^\* demo\/kickoff\s+intent\s+draft\s+9\s+\d+\s+–\s+–\s+–\s+\d+\s+\d+$/);
    expect((await idse(['status'], { cwd: tempDir() })).stdout).toContain('No IDSE sessions found');
  });
});

describe('idse validate --changed', () => {
  it('reports only files changed since the base ref, and flags a change spanning sessions', async () => {
    const root = tempDir();
    await idse(['init', 'demo'], { cwd: root });
    await idse(['session', 'new', 'second'], { cwd: root });
    git(root, 'init', '-q');
    git(root, 'add', '-A');
    git(root, 'commit', '-qm', 'scaffold');

    const clean = await idse(['validate', '--changed', '--format', 'json'], { cwd: root });
    expect(JSON.parse(clean.stdout).diagnostics).toEqual([]);
    expect(clean.code).toBe(0);

    for (const s of ['kickoff', 'second']) {
      const intent = join(root, `projects/demo/sessions/${s}/intents/intent.md`);
      writeFileSync(intent, `${readFileSync(intent, 'utf8')}\nOne more [REQUIRES INPUT]\n`);
    }
    const changed = await idse(['validate', '--changed', '--base', 'HEAD', '--format', 'json'], {
      cwd: root,
    });
    const files = new Set(
      (JSON.parse(changed.stdout).diagnostics as { file: string; code: string }[]).map(
        (d) => `${d.code} ${d.file}`,
      ),
    );
    expect([...files].sort()).toEqual([
      'IDSE010 projects/demo/sessions/kickoff/intents/intent.md',
      'IDSE010 projects/demo/sessions/second/intents/intent.md',
      'IDSE024 projects/demo/sessions/kickoff/intents/intent.md',
      'IDSE024 projects/demo/sessions/second/intents/intent.md',
    ]);
    expect(changed.code).toBe(1);
    const badRef = await idse(['validate', '--changed', '--base', 'no-such-ref'], { cwd: root });
    expect(badRef.code).toBe(2);
    expect(badRef.stderr).toContain('[git-failed]');
  });
});

describe('repeated runs', () => {
  it('answer from the last run when nothing changed, and see every change', async () => {
    const root = tempDir();
    const cacheDir = tempDir('idse-cache-');
    const env = { IDSE_CACHE_DIR: cacheDir };
    await idse(['init', 'demo'], { cwd: root, env });
    const first = await idse(['validate', '--format', 'json'], { cwd: root, env });
    const again = await idse(['validate', '--format', 'json'], { cwd: root, env });
    expect(again.stdout).toBe(first.stdout);
    expect(readdirSync(cacheDir).sort()).toEqual([
      expect.stringMatching(/^facts-\w+\.bin$/),
      expect.stringMatching(/^projects-\w+\.json$/),
      expect.stringMatching(/^run-\w+\.json$/),
    ]);

    const intent = join(root, 'projects/demo/sessions/kickoff/intents/intent.md');
    writeFileSync(intent, readFileSync(intent, 'utf8').replaceAll('[REQUIRES INPUT]', 'Written'));
    const edited = JSON.parse((await idse(['validate', '--format', 'json'], { cwd: root, env })).stdout);
    const before = JSON.parse(first.stdout);
    expect(edited.summary.errors).toBeLessThan(before.summary.errors);
    expect(edited.diagnostics.some((d: { file: string }) => d.file.endsWith('intents/intent.md'))).toBe(
      false,
    );
  });
});
