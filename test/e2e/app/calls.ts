import { expect } from 'vitest';
import type { Harness } from './harness.ts';

export const ZERO = '0'.repeat(40);
export const TOKEN = 'POST /app/installations/{installation_id}/access_tokens';
export const CREATE = 'POST /repos/{owner}/{repo}/check-runs';
export const UPDATE = 'PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}';
export const TREE = 'GET /repos/{owner}/{repo}/git/trees/{tree_sha}';
export const BLOB = 'GET /repos/{owner}/{repo}/git/blobs/{file_sha}';
export const COMPARE = 'GET /repos/{owner}/{repo}/compare/{basehead}';
export const PULL_FILES = 'GET /repos/{owner}/{repo}/pulls/{pull_number}/files';
export const PULLS = 'GET /repos/{owner}/{repo}/pulls';
export const TARBALL = 'GET /repos/{owner}/{repo}/tarball/{ref}';
export const LIST_RUNS = 'GET /repos/{owner}/{repo}/commits/{ref}/check-runs';
export { CODELOAD_ROUTE as CODELOAD } from '../../helpers/github-standin.ts';

/**
 * The stand-in saw exactly these calls (how many of each route) and every one of them was a
 * request GitHub's OpenAPI description allows: every expected call happened, nothing else did.
 */
export function expectCalls(h: Harness, expected: Record<string, number>): void {
  expect(h.github.violations).toEqual([]);
  expect(h.github.counts()).toEqual(expected);
}
