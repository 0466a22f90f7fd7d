import { posix } from 'node:path';

const EXTERNAL = /^(?:[a-z][a-z0-9+.-]*:|\/\/|#)/i;

/** Whether a link leaves the workspace (a URL scheme, protocol-relative, or an in-page anchor). */
export const isExternalLink = (url: string): boolean => EXTERNAL.test(url);

/**
 * A relative or root-relative link from a doc → the workspace path it names, without query or
 * anchor and percent-decoded; undefined when it points outside the workspace.
 */
export function resolveLink(from: string, url: string): string | undefined {
  if (isExternalLink(url)) return undefined;
  const target = decode(url.split(/[?#]/)[0]!);
  if (!target) return undefined;
  const joined = target.startsWith('/')
    ? posix.normalize(target.slice(1))
    : posix.join(posix.dirname(from), target);
  return joined.startsWith('..') ? undefined : joined.replace(/\/$/, '');
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

const FOLDERS = new WeakMap<ReadonlySet<string>, ReadonlySet<string>>();

/**
 * Every folder holding one of `paths` (a link may name a folder). Worked out once per set of paths:
 * a run checked project by project hands each project the same set of the workspace's paths.
 */
export function foldersOf(paths: ReadonlySet<string>): ReadonlySet<string> {
  let folders = FOLDERS.get(paths);
  if (!folders) {
    const found = new Set<string>();
    for (const path of paths) {
      for (let dir = posix.dirname(path); dir !== '.' && !found.has(dir); dir = posix.dirname(dir))
        found.add(dir);
    }
    folders = found;
    FOLDERS.set(paths, folders);
  }
  return folders;
}
