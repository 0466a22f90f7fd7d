import type { ProbotOctokit } from 'probot';

/** An installation client: Probot's Octokit with the REST methods, retry and throttling. */
export type GitHub = InstanceType<typeof ProbotOctokit>;

export interface Repo {
  owner: string;
  repo: string;
}

/** A file (blob) in a commit's tree. */
export interface TreeEntry {
  path: string;
  sha: string;
  size: number;
}

/** GitHub lists at most this many files in a compare response; more means the list is cut. */
export const COMPARE_FILES_CAP = 300;
/** GitHub lists at most this many files of a pull request. */
export const PULL_FILES_CAP = 3000;

const GITLINK = '160000';
const SYMLINK = '120000';

/**
 * Every file of a commit. One recursive request; when GitHub truncates it (over 100,000 entries or
 * 7 MB), each top-level folder is read on its own, recursively, and so on down.
 */
export async function readTree(gh: GitHub, repo: Repo, sha: string): Promise<TreeEntry[]> {
  const out: TreeEntry[] = [];
  await readTreeInto(gh, repo, sha, '', out);
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

async function readTreeInto(gh: GitHub, repo: Repo, sha: string, prefix: string, out: TreeEntry[]) {
  const { data } = await gh.rest.git.getTree({ ...repo, tree_sha: sha, recursive: '1' });
  if (!data.truncated) {
    for (const item of data.tree) {
      // Submodules and symlinks hold no docs of this repo; blobs are what the engine reads.
      if (item.type !== 'blob' || item.mode === GITLINK || item.mode === SYMLINK || !item.path || !item.sha)
        continue;
      out.push({ path: prefix + item.path, sha: item.sha, size: item.size ?? 0 });
    }
    return;
  }
  const { data: top } = await gh.rest.git.getTree({ ...repo, tree_sha: sha });
  for (const item of top.tree) {
    if (!item.path || !item.sha) continue;
    if (item.type === 'tree') await readTreeInto(gh, repo, item.sha, `${prefix}${item.path}/`, out);
    else if (item.type === 'blob' && item.mode !== SYMLINK)
      out.push({ path: prefix + item.path, sha: item.sha, size: item.size ?? 0 });
  }
}

export async function readBlob(gh: GitHub, repo: Repo, sha: string): Promise<Uint8Array> {
  const { data } = await gh.rest.git.getBlob({ ...repo, file_sha: sha });
  return Buffer.from(data.content, data.encoding === 'base64' ? 'base64' : 'utf8');
}

export interface Comparison {
  /** `ahead` for a fast-forward; `diverged` or `behind` when history was rewritten. */
  status: string;
  /** Changed paths; a rename lists both names. */
  paths: string[];
  /** GitHub stopped listing files: the list is incomplete. */
  cut: boolean;
}

export async function compareCommits(
  gh: GitHub,
  repo: Repo,
  base: string,
  head: string,
): Promise<Comparison> {
  const { data } = await gh.rest.repos.compareCommitsWithBasehead({ ...repo, basehead: `${base}...${head}` });
  const files = data.files ?? [];
  return {
    status: data.status,
    paths: files.flatMap((f) => (f.previous_filename ? [f.filename, f.previous_filename] : [f.filename])),
    cut: files.length >= COMPARE_FILES_CAP,
  };
}

/** Files a pull request changes (both names of a rename); `cut` when GitHub's 3,000 cap was hit. */
export async function pullFiles(
  gh: GitHub,
  repo: Repo,
  pullNumber: number,
): Promise<{ paths: string[]; cut: boolean }> {
  const files = await gh.paginate(gh.rest.pulls.listFiles, {
    ...repo,
    pull_number: pullNumber,
    per_page: 100,
  });
  return {
    paths: files.flatMap((f) => (f.previous_filename ? [f.filename, f.previous_filename] : [f.filename])),
    cut: files.length >= PULL_FILES_CAP,
  };
}

export interface OpenPull {
  number: number;
  title: string;
  url: string;
}

/** The most recently updated open pull requests, one page of them. */
export async function openPulls(gh: GitHub, repo: Repo, limit: number): Promise<OpenPull[]> {
  const { data } = await gh.rest.pulls.list({
    ...repo,
    state: 'open',
    sort: 'updated',
    direction: 'desc',
    per_page: Math.min(100, limit),
  });
  return data.map((p) => ({ number: p.number, title: p.title, url: p.html_url }));
}
