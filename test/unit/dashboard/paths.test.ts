import { describe, expect, it } from 'vitest';
import { withoutTrailingSlashes } from '../../../src/dashboard/routes.ts';

describe('dashboard paths', () => {
  it('lose their trailing slashes, and only those', () => {
    expect(withoutTrailingSlashes('/dashboard///')).toBe('/dashboard');
    expect(withoutTrailingSlashes('/dashboard/clients/x')).toBe('/dashboard/clients/x');
    expect(withoutTrailingSlashes('///')).toBe('');
    expect(withoutTrailingSlashes('')).toBe('');
  });

  // `/\/+$/` retried from every slash of a run that does not end the path: 40,000 slashes took a
  // second, a million would take minutes (the test's timeout is the bound, not a timed assertion).
  it('in one pass, however many slashes come before the end', () => {
    const path = `/dashboard${'/'.repeat(1_000_000)}x`;
    expect(withoutTrailingSlashes(path)).toBe(path);
    expect(withoutTrailingSlashes(`${path}${'/'.repeat(1_000_000)}`)).toBe(path);
  }, 5_000);
});
