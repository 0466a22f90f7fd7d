import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../../src/report/schema.ts';
import { idse, tempDir } from '../../helpers/cli.ts';

const S = 'projects/p/sessions/s';

async function validateJson(root: string): Promise<{ code: number; report: Report; stderr: string }> {
  const run = await idse(['validate', '--format', 'json', '--no-cache'], { cwd: root });
  return { code: run.code, report: JSON.parse(run.stdout) as Report, stderr: run.stderr };
}

const found = (report: Report, code: string) =>
  report.diagnostics
    .filter((d) => d.code === code)
    .map((d) => `${d.file}${d.range ? `:${d.range.start.line}` : ''}`);

describe('bad input never crashes, hangs or hides the other files', () => {
  it('reports binary, invalid UTF-8, oversized, outside, FIFO and dangling files with codes, and still checks the rest', async () => {
    const root = tempDir();
    mkdirSync(join(root, S, 'specs'), { recursive: true });
    mkdirSync(join(root, S, 'plans'), { recursive: true });
    mkdirSync(join(root, S, 'feedback'), { recursive: true });
    mkdirSync(join(root, S, 'contexts'), { recursive: true });
    writeFileSync(join(root, S, 'intents.md'), 'x');
    mkdirSync(join(root, S, 'intents'));
    writeFileSync(join(root, S, 'intents/intent.md'), '# Intent\n\n## Goal\n\n[REQUIRES INPUT]\n');
    writeFileSync(join(root, S, 'specs/spec.md'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02]));
    writeFileSync(
      join(root, S, 'plans/plan.md'),
      Buffer.concat([Buffer.from('# Plan\n\nok line\nbad: '), Buffer.from([0xc3, 0x28])]),
    );
    // 50 MB: stat'ed, never read into memory.
    writeFileSync(join(root, S, 'feedback/feedback.md'), Buffer.alloc(50 * 1024 * 1024, 0x61));
    // Never followed out of the workspace: a folder symlink to `/`, a doc symlinked to a system file.
    symlinkSync('/', join(root, S, 'contexts/root'));
    symlinkSync('/etc/passwd', join(root, S, 'plans/passwd.md'));
    symlinkSync('missing-target.md', join(root, S, 'contexts/dangling.md'));
    execFileSync('mkfifo', [join(root, S, 'contexts/context.md')]);

    const { code, report, stderr } = await validateJson(root);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    expect(found(report, 'IDSE002')).toEqual([`${S}/plans/plan.md:4`, `${S}/specs/spec.md`]);
    expect(found(report, 'IDSE001')).toEqual([
      `${S}/contexts/context.md`,
      `${S}/contexts/dangling.md`,
      `${S}/feedback/feedback.md`,
      `${S}/plans/passwd.md`,
    ]);
    expect(report.diagnostics.find((d) => d.file.endsWith('feedback.md'))?.message).toContain(
      'larger than 5242880 bytes',
    );
    // The readable doc was still validated.
    expect(found(report, 'IDSE010')).toEqual([`${S}/intents/intent.md:5`]);
  });

  it('turns malformed front matter and YAML alias bombs into IDSE003, not a hang', async () => {
    const root = tempDir();
    mkdirSync(join(root, S, 'metadata'), { recursive: true });
    mkdirSync(join(root, S, 'specs'), { recursive: true });
    const bomb = ['---', 'a: &a [x, x, x, x, x, x, x, x, x]'];
    const names = 'bcdefghijk';
    for (let i = 0; i < names.length; i++)
      bomb.push(
        `${names[i]}: &${names[i]} [${Array(9)
          .fill(`*${i ? names[i - 1] : 'a'}`)
          .join(', ')}]`,
      );
    writeFileSync(join(root, S, 'metadata/meta.md'), `${bomb.join('\n')}\n---\n# Meta\n`);
    writeFileSync(join(root, S, 'specs/spec.md'), '---\nstatus: [unclosed\n---\n# Spec\n');
    const { code, report } = await validateJson(root);
    expect(code).toBe(1);
    expect(found(report, 'IDSE003')).toEqual([`${S}/metadata/meta.md:1`, `${S}/specs/spec.md:2`]);
    expect(
      report.diagnostics.find((d) => d.file.endsWith('meta.md') && d.code === 'IDSE003')?.message,
    ).toMatch(/alias/i);
  });

  it('refuses a YAML alias bomb in the config file with one coded line, exit 2', async () => {
    const root = tempDir();
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (const [i, name] of [...'bcdefghijk'].entries())
      levels.push(`${name}: &${name} [${Array(9).fill(`*${'abcdefghijk'[i]}`).join(', ')}]`);
    writeFileSync(join(root, 'idse.config.yml'), `${levels.join('\n')}\n`);
    const run = await idse(['validate'], { cwd: root });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /idse\.config\.yml:2: invalid YAML: Excessive alias count .* \[config-invalid\]/,
    );
    expect(run.stderr).not.toContain('internal');
  });
});
