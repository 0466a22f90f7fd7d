import type { ReadGitHubBlobs } from '../../dashboard/docs.ts';
import { mapLimit } from './blobs.ts';
import { type GitHub, readBlob } from './github.ts';

/**
 * How the dashboard reads a GitHub repository's docs: the blobs by SHA with the App's installation
 * client, a few requests at a time, as text.
 */
export function githubDocTexts(auth: (installationId: number) => Promise<GitHub>): ReadGitHubBlobs {
  return async (installationId, repository, shas) => {
    const gh = await auth(installationId);
    const [owner = '', repo = ''] = repository.split('/');
    const contents = await mapLimit(shas, 8, (sha) => readBlob(gh, { owner, repo }, sha));
    const decoder = new TextDecoder();
    return new Map(shas.map((sha, i) => [sha, decoder.decode(contents[i])]));
  };
}

/** GitHub's web address for an API base URL: the Enterprise server's, or github.com. */
export const githubWebOf = (apiBaseUrl: string | undefined): string =>
  apiBaseUrl ? apiBaseUrl.replace(/\/api\/v3$/, '') : 'https://github.com';
