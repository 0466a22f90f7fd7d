/**
 * The README's set-up, run as written in a fresh copy of the repository: after its commands `idse`
 * is on PATH and answers. Node and the dependencies are linked from this checkout instead of
 * downloaded (setup.sh skips what is in place), so this tests what the README and setup.sh do, not npm.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, realpathSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { VERSION } from '../../../src/version.ts';
import { tempDir } from '../../helpers/cli.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The first `sh` block of the README's set-up section: the commands a new user types. */
function setupCommands(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Set-up'));
  const block = /```sh\n([\s\S]*?)```/.exec(section);
  if (!block?.[1]) throw new Error('README: no sh block under "## Set-up"');
  return block[1];
}

/** Every file git would check out (committed or not, minus the ignored), copied to a new folder. */
function freshCopy(): string {
  const copy = tempDir('idse-readme-');
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], {
    cwd: ROOT,
    encoding: 'utf8',
  })
    .split('\0')
    .filter(Boolean);
  for (const file of files) {
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    copyFileSync(join(ROOT, file), join(copy, file));
  }
  mkdirSync(join(copy, '.tools/node_modules/.bin'), { recursive: true });
  symlinkSync(
    realpathSync(join(ROOT, '.tools/node_modules/.bin/node')),
    join(copy, '.tools/node_modules/.bin/node'),
  );
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
  return copy;
}

describe("the README's set-up", () => {
  it('leaves idse on PATH: `idse --version` answers after its commands, run as written', () => {
    const copy = freshCopy();
    // A PATH without this checkout's tools: only the README's commands may bring idse.
    const path = (process.env.PATH ?? '')
      .split(':')
      .filter((dir) => !dir.includes('.tools'))
      .join(':');
    const run = spawnSync('bash', ['-euc', `${setupCommands()}\ncommand -v idse\nidse --version`], {
      cwd: copy,
      env: { PATH: path, HOME: process.env.HOME ?? copy },
      encoding: 'utf8',
    });
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.status).toBe(0);
    expect(run.stdout.trim().split('\n')).toEqual([join(copy, '.tools/node_modules/.bin/idse'), VERSION]);
  }, 120_000);
});
