import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IdseError } from '../../../src/errors.ts';
import { gitBlobId } from '../../../src/model/blob-id.ts';
import { factsSuffice, isWorkspaceFile } from '../../../src/model/layout.ts';
import { DEFAULT_MAX_FILE_BYTES, type SourceFile } from '../../../src/model/source.ts';
import { readWorkspaceFiles, rereadFiles } from '../../../src/run/sources/fs.ts';

let root: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'idse-fs-'));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function put(rel: string, content: string | Uint8Array = `# ${rel}\n`): Promise<void> {
  const abs = path.join(root, rel);
  await mkdir(path.dirname(abs), { recursive: true });
  await writeFile(abs, content);
}

const paths = (files: SourceFile[]) => files.map((file) => file.path);
const problems = (files: SourceFile[]) =>
  files.filter((file) => file.problem).map((file) => ({ path: file.path, problem: file.problem }));
const text = (file: SourceFile | undefined) => new TextDecoder().decode(file?.content);

async function rejection(promise: Promise<unknown>): Promise<IdseError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(IdseError);
  return error as IdseError;
}

describe('isWorkspaceFile', () => {
  it('accepts markdown, session metadata anywhere, and config files only at their place', () => {
    const accepted = [
      'README.md',
      'docs/deep/plan.md',
      'CURRENT_SESSION',
      'sessions/s1/session_state.json',
      'sessions/s1/session.json',
      'agent_registry.json',
      'sessions/s1/.owner',
      'sessions/s1/.collaborators',
      '.github/idse.yml',
      '.idse/config.yml',
      'idse.config.yml',
    ];
    const rejected = [
      'notes.txt',
      'plan.md.bak',
      'docs/idse.config.yml',
      'other/.github/idse.yml',
      'state.json',
    ];
    expect(accepted.filter(isWorkspaceFile)).toEqual(accepted);
    expect(rejected.filter(isWorkspaceFile)).toEqual([]);
  });
});

describe('readWorkspaceFiles', () => {
  it('walks nested folders, keeps workspace files, skips .git and node_modules, sorts by path', async () => {
    for (const rel of [
      'z.md',
      'docs/sub/b.md',
      'docs/a.md',
      'notes.txt',
      'CURRENT_SESSION',
      'sessions/s1/session.json',
      'sessions/s1/.owner',
      '.github/idse.yml',
      '.github/other.yml',
      'docs/idse.config.yml',
      'node_modules/pkg/readme.md',
      'docs/node_modules/x.md',
      '.git/info.md',
    ]) {
      await put(rel);
    }
    const files = await readWorkspaceFiles(root);
    expect(paths(files)).toEqual([
      '.github/idse.yml',
      'CURRENT_SESSION',
      'docs/a.md',
      'docs/sub/b.md',
      'sessions/s1/.owner',
      'sessions/s1/session.json',
      'z.md',
    ]);
    const a = files.find((file) => file.path === 'docs/a.md');
    expect(text(a)).toBe('# docs/a.md\n');
    expect(a?.size).toBe(12);
    expect(problems(files)).toEqual([]);
  });

  it("reads files into shared memory, so a facts worker reads a doc's bytes without a copy", async () => {
    await put('projects/p/sessions/s/intent.md', '# Intent\n');
    await put('projects/p/sessions/s/spec.md', '# Spec\n');
    const [intent, spec] = await readWorkspaceFiles(root);
    expect(intent?.content?.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(spec?.content?.buffer).toBe(intent?.content?.buffer);
    expect(text(intent)).toBe('# Intent\n');
    expect(text(spec)).toBe('# Spec\n');
  });

  it('names idOnly files by their git blob id and keeps no bytes; rereadFiles reads them again', async () => {
    const intent = '# Intent\n\n## Goal\n\nExport invoices.\n';
    await put('projects/p/sessions/s/intents/intent.md', intent);
    await put('projects/p/sessions/s/metadata/blueprint.md', '# Blueprint\n');
    await put('projects/p/CURRENT_SESSION', 's\n');
    const files = await readWorkspaceFiles(root, { idOnly: factsSuffice });
    const [current, named, blueprint] = files;
    const bytes = new TextEncoder().encode(intent);
    expect(named).toEqual({
      path: 'projects/p/sessions/s/intents/intent.md',
      size: bytes.byteLength,
      oid: gitBlobId(bytes),
    });
    // Data files and a governance doc are kept whole: rules read their text.
    expect(text(current)).toBe('s\n');
    expect(text(blueprint)).toBe('# Blueprint\n');
    const [read] = rereadFiles(root, [named!]);
    expect(text(read)).toBe(intent);
    expect(read?.content?.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(read).toMatchObject({ path: named?.path, size: named?.size, oid: named?.oid });
  });

  it('keeps the idOnly files a taker wants whole, with their id, and hands them over as it reads them', async () => {
    await put('projects/p/sessions/s/intents/intent.md', '# Intent\n');
    await put('projects/p/sessions/s/specs/spec.md', '# Spec\n');
    await put('projects/p/sessions/s/metadata/blueprint.md', '# Blueprint\n');
    const asked: string[] = [];
    const taken: SourceFile[] = [];
    const files = await readWorkspaceFiles(root, {
      idOnly: factsSuffice,
      taker: {
        wants: (rel) => asked.push(rel) > 0 && rel.endsWith('spec.md'),
        take: (file) => taken.push(file),
      },
    });
    // Only idOnly files are offered: the governance doc is kept whole anyway.
    expect(asked.sort()).toEqual([
      'projects/p/sessions/s/intents/intent.md',
      'projects/p/sessions/s/specs/spec.md',
    ]);
    const spec = files.find((f) => f.path.endsWith('spec.md'))!;
    expect(taken).toEqual([spec]);
    expect(text(spec)).toBe('# Spec\n');
    expect(spec.oid).toBe(gitBlobId(new TextEncoder().encode('# Spec\n')));
    expect(spec.content?.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(files.find((f) => f.path.endsWith('intent.md'))).not.toHaveProperty('content');
  });

  it('reports a file rereadFiles finds changed since the walk, or gone, instead of reading it under the old id', async () => {
    await put('a/edited.md', '# Before\n');
    await put('a/resized.md', '# Before\n');
    await put('a/gone.md', '# Gone\n');
    const files = await readWorkspaceFiles(root, { idOnly: () => true });
    await put('a/edited.md', '# After!\n');
    await put('a/resized.md', '# After, longer\n');
    await rm(path.join(root, 'a/gone.md'));
    const changed = { kind: 'unreadable', detail: 'changed while idse was reading the workspace' };
    expect(
      rereadFiles(root, files).map((f) => ({ path: f.path, problem: f.problem, content: f.content })),
    ).toEqual([
      { path: 'a/edited.md', problem: changed, content: undefined },
      {
        path: 'a/gone.md',
        problem: { kind: 'unreadable', detail: 'ENOENT: open failed' },
        content: undefined,
      },
      { path: 'a/resized.md', problem: changed, content: undefined },
    ]);
  });

  it('lets include replace the default filter', async () => {
    await put('a.md');
    await put('notes/b.txt');
    const files = await readWorkspaceFiles(root, { include: (rel) => rel.endsWith('.txt') });
    expect(paths(files)).toEqual(['notes/b.txt']);
  });

  it('skips files and folders matching the ignore globs', async () => {
    for (const rel of [
      'keep.md',
      'drafts/a.md',
      'docs/x.tmp.md',
      'x.tmp.md',
      'archive/old/b.md',
      'docs/archive.md',
    ]) {
      await put(rel);
    }
    const files = await readWorkspaceFiles(root, { ignore: ['drafts/**', '**/*.tmp.md', 'archive'] });
    expect(paths(files)).toEqual(['docs/archive.md', 'keep.md']);
  });

  it('reads symlinked files inside the root, and skips folder symlinks unless asked to follow them', async () => {
    await put('docs/a.md', 'A');
    await symlink('docs', path.join(root, 'linked'));
    await symlink('docs/a.md', path.join(root, 'alias.md'));
    const files = await readWorkspaceFiles(root);
    expect(paths(files)).toEqual(['alias.md', 'docs/a.md']);
    expect(files.map(text)).toEqual(['A', 'A']);
    const followed = await readWorkspaceFiles(root, { followSymlinks: true });
    expect(paths(followed)).toEqual(['alias.md', 'docs/a.md', 'linked/a.md']);
  });

  it('never reads outside the root: a symlinked file there is reported, a folder symlink not entered', async () => {
    const outsideDir = await mkdtemp(path.join(tmpdir(), 'idse-outside-'));
    try {
      await writeFile(path.join(outsideDir, 'secret.md'), 'outside\n');
      await put('projects/demo/sessions/s/intents/intent.md');
      await symlink(
        path.join(outsideDir, 'secret.md'),
        path.join(root, 'projects/demo/sessions/s/intents/passwd.md'),
      );
      // `ln -s / projects/demo/root`: walking it ran past 20 s and read the whole disk.
      await symlink('/', path.join(root, 'projects/demo/root'));
      await symlink(outsideDir, path.join(root, 'projects/demo/elsewhere'));
      const outside = { kind: 'outside-workspace' };
      expect(problems(await readWorkspaceFiles(root))).toEqual([
        { path: 'projects/demo/sessions/s/intents/passwd.md', problem: outside },
      ]);
      expect(problems(await readWorkspaceFiles(root, { followSymlinks: true }))).toEqual([
        { path: 'projects/demo/elsewhere', problem: outside },
        { path: 'projects/demo/root', problem: outside },
        { path: 'projects/demo/sessions/s/intents/passwd.md', problem: outside },
      ]);
    } finally {
      await rm(outsideDir, { recursive: true, force: true });
    }
  });

  it('reports a followed folder symlink leading back to its parent once, and reads the rest', async () => {
    await put('docs/a.md');
    await symlink('..', path.join(root, 'docs', 'loop'));
    const files = await readWorkspaceFiles(root, { followSymlinks: true });
    expect(paths(files)).toEqual(['docs/a.md', 'docs/loop']);
    expect(problems(files)).toEqual([
      {
        path: 'docs/loop',
        problem: { kind: 'symlink-loop', detail: 'folder symlink leads back to the folder being read' },
      },
    ]);
  });

  it('reports followed symlinks between sibling folders that form a cycle', async () => {
    await put('a/one.md');
    await put('b/two.md');
    await symlink('../b', path.join(root, 'a', 'to-b'));
    await symlink('../a', path.join(root, 'b', 'to-a'));
    const files = await readWorkspaceFiles(root, { followSymlinks: true });
    expect(paths(files)).toEqual([
      'a/one.md',
      'a/to-b/to-a',
      'a/to-b/two.md',
      'b/to-a/one.md',
      'b/to-a/to-b',
      'b/two.md',
    ]);
    expect(problems(files)).toEqual([
      { path: 'a/to-b/to-a', problem: { kind: 'symlink-loop', detail: "folder symlink leads back to 'a'" } },
      { path: 'b/to-a/to-b', problem: { kind: 'symlink-loop', detail: "folder symlink leads back to 'b'" } },
    ]);
  });

  it('reports a symlink pointing at itself as a loop', async () => {
    await symlink('self', path.join(root, 'self'));
    const files = await readWorkspaceFiles(root);
    expect(problems(files)).toEqual([
      {
        path: 'self',
        problem: { kind: 'symlink-loop', detail: 'symlink chain never reaches a file or folder' },
      },
    ]);
  });

  it('reports a dangling symlink named like a workspace file as unreadable', async () => {
    await symlink('missing.md', path.join(root, 'gone.md'));
    await symlink('missing-folder', path.join(root, 'gone-folder'));
    const files = await readWorkspaceFiles(root);
    expect(files).toEqual([
      { path: 'gone.md', size: 0, problem: { kind: 'unreadable', detail: 'dangling symlink (ENOENT)' } },
    ]);
  });

  it('reports a FIFO as not-regular without opening it', async () => {
    execFileSync('mkfifo', [path.join(root, 'pipe.md')]);
    await symlink('pipe.md', path.join(root, 'pipe-link.md'));
    await put('ok.md');
    const files = await readWorkspaceFiles(root);
    const notRegular = { kind: 'not-regular', detail: 'a FIFO, not a regular file' };
    expect(problems(files)).toEqual([
      { path: 'pipe-link.md', problem: notRegular },
      { path: 'pipe.md', problem: notRegular },
    ]);
    expect(paths(files)).toEqual(['ok.md', 'pipe-link.md', 'pipe.md']);
  });

  it('does not read files over the size limit but reports their size', async () => {
    await put('at-limit.md', 'x'.repeat(100));
    await put('over.md', 'x'.repeat(101));
    const files = await readWorkspaceFiles(root, { maxFileBytes: 100 });
    expect(files[0]).toMatchObject({ path: 'at-limit.md', size: 100 });
    expect(files[0]?.content?.byteLength).toBe(100);
    expect(files[1]).toEqual({ path: 'over.md', size: 101, problem: { kind: 'too-large', limit: 100 } });
  });

  it('applies DEFAULT_MAX_FILE_BYTES when no limit is given', async () => {
    await put('huge.md', new Uint8Array(DEFAULT_MAX_FILE_BYTES + 1));
    const files = await readWorkspaceFiles(root);
    expect(files).toEqual([
      {
        path: 'huge.md',
        size: DEFAULT_MAX_FILE_BYTES + 1,
        problem: { kind: 'too-large', limit: DEFAULT_MAX_FILE_BYTES },
      },
    ]);
  });

  it('reads only the given paths, each file once, and still applies filters and ignores', async () => {
    for (const rel of [
      'top.md',
      'docs/a.md',
      'docs/sub/b.md',
      'docs/drafts/c.md',
      'other/d.md',
      'other/e.txt',
    ]) {
      await put(rel);
    }
    const relativeToCwd = path.relative(process.cwd(), path.join(root, 'other', 'd.md'));
    const files = await readWorkspaceFiles(root, {
      paths: [
        path.join(root, 'docs'),
        path.join(root, 'docs', 'sub', 'b.md'),
        relativeToCwd,
        path.join(root, 'other', 'e.txt'),
      ],
      ignore: ['docs/drafts'],
    });
    expect(paths(files)).toEqual(['docs/a.md', 'docs/sub/b.md', 'other/d.md']);
  });

  it('throws path-not-found naming a missing path, and for a missing root', async () => {
    await put('a.md');
    const missing = path.join(root, 'nope.md');
    const error = await rejection(readWorkspaceFiles(root, { paths: [path.join(root, 'a.md'), missing] }));
    expect(error.code).toBe('path-not-found');
    expect(error.message).toBe(`Path not found: ${missing}`);

    const missingRoot = path.join(root, 'no-such-folder');
    const rootError = await rejection(readWorkspaceFiles(missingRoot));
    expect(rootError.code).toBe('path-not-found');
    expect(rootError.message).toBe(`Workspace folder not found: ${missingRoot}`);

    const fileRoot = path.join(root, 'a.md');
    const fileError = await rejection(readWorkspaceFiles(fileRoot));
    expect(fileError.code).toBe('path-not-found');
    expect(fileError.message).toBe(`Workspace path is not a folder: ${fileRoot}`);
  });

  it('rejects a path outside the workspace as a usage error', async () => {
    await put('inner/a.md');
    const error = await rejection(readWorkspaceFiles(path.join(root, 'inner'), { paths: [root] }));
    expect(error.code).toBe('usage');
  });
});
