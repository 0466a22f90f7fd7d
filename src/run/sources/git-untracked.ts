import fs from 'node:fs';
import path from 'node:path';
import git from 'isomorphic-git';
import type { IndexEntry } from './git-index.ts';
import type { Repo } from './git-revisions.ts';

/** Files in the working tree that are neither in the index nor ignored (`git ls-files --others`). */
export async function untrackedFiles(repo: Repo, tracked: Map<string, IndexEntry>): Promise<string[]> {
  const { dir, gitdir } = repo;
  const trackedDirs = new Set<string>();
  for (const file of tracked.keys()) {
    for (let slash = file.indexOf('/'); slash !== -1; slash = file.indexOf('/', slash + 1)) {
      trackedDirs.add(file.slice(0, slash));
    }
  }
  const found: string[] = [];
  const visit = async (rel: string): Promise<void> => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(dir, rel), { withFileTypes: true });
    } catch {
      return; // a folder that vanished or cannot be listed holds nothing git could report either
    }
    for (const entry of entries) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.name === '.git' || tracked.has(child)) continue;
      if (entry.isDirectory()) {
        // An ignored folder is not entered at all, so an ignored node_modules costs one check.
        if (trackedDirs.has(child) || !(await git.isIgnored({ fs, dir, gitdir, filepath: `${child}/` }))) {
          await visit(child);
        }
      } else if (!(await git.isIgnored({ fs, dir, gitdir, filepath: child }))) {
        found.push(child);
      }
    }
  };
  await visit('');
  return found;
}
