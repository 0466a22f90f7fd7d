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
