/**
 * Zod's findings as the one-line text every face shows (CLI errors, HTTP 400 bodies, rule messages):
 * "`a.b`: message; `c`: message (+2 more)".
 */
import type { z } from 'zod';

/** Where an issue points; an unknown key is named itself rather than its parent object. */
export const issuePath = (issue: z.core.$ZodIssue): PropertyKey[] =>
  issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]!] : issue.path;

/** "`a.b`: message", or just the message for the value as a whole. */
export function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issuePath(issue);
  return path.length ? `\`${path.map(String).join('.')}\`: ${issue.message}` : issue.message;
}

/** The first `max` issues, and how many more there are. */
export function describeIssues(error: z.ZodError, max = 1): string {
  const shown = error.issues.slice(0, max).map(describeIssue).join('; ');
  const more = error.issues.length - max;
  return more > 0 ? `${shown} (+${more} more)` : shown;
}
