import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A real git repository in a temp folder: what the GitHub stand-in serves. */
export class TestRepo {
  readonly dir: string;

  private constructor(dir: string) {
    this.dir = dir;
  }

  static create(): TestRepo {
    const dir = mkdtempSync(join(tmpdir(), 'idse-app-repo-'));
    const repo = new TestRepo(dir);
    repo.git('init', '-q', '-b', 'main');
    repo.git('config', 'user.email', 'test@example.com');
    repo.git('config', 'user.name', 'Test');
    repo.git('config', 'commit.gpgsign', 'false');
    return repo;
  }

  git(...args: string[]): string {
    return execFileSync('git', args, {
      cwd: this.dir,
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    }).trim();
  }

  /** Writes (or, for `null`, deletes) files and commits them; returns the new commit's SHA. */
  commit(files: Record<string, string | Uint8Array | null>, message = 'change'): string {
    for (const [path, content] of Object.entries(files)) {
      const abs = join(this.dir, path);
      if (content === null) {
        rmSync(abs, { force: true });
        continue;
      }
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, content);
    }
    this.git('add', '-A');
    this.git('commit', '-q', '--allow-empty', '-m', message);
    return this.head();
  }

  head(): string {
    return this.git('rev-parse', 'HEAD');
  }

  checkout(ref: string, create = false): void {
    this.git('checkout', '-q', ...(create ? ['-b'] : []), ref);
  }

  /** Moves the current branch to `sha`, as a force-push rewrites history. */
  resetTo(sha: string): void {
    this.git('reset', '-q', '--hard', sha);
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
