import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describeIssues } from '../zod-issues.ts';
import { type DesignContext, DesignManifestSchema } from './manifest.ts';

const TIMEOUT_MS = 10_000;

/**
 * Read the Design Sandbox manifest named in the config: a path relative to the workspace root, or an
 * http(s) URL. Failure is data, not an exception: every `agency://` reference then says why it
 * could not be checked.
 */
export async function loadDesignManifest(source: string, root: string): Promise<DesignContext> {
  const read = await readSource(source, root);
  return 'text' in read ? parseDesignManifest(read.text, source) : { source, error: read.error };
}

export const isUrl = (source: string): boolean => /^https?:\/\//i.test(source);

/** A design file's text, from a path under `root` or an http(s) URL; failure is a value. */
export async function readSource(
  source: string,
  root: string,
): Promise<{ text: string } | { error: string }> {
  try {
    if (!isUrl(source)) return { text: await readFile(resolve(root, source), 'utf8') };
    const response = await fetch(source, { signal: AbortSignal.timeout(TIMEOUT_MS) });
    if (!response.ok) return { error: `HTTP ${response.status} ${response.statusText}` };
    return { text: await response.text() };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** Manifest text → the engine's view of it; every problem is an error value naming where. */
export function parseDesignManifest(text: string, source: string): DesignContext {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { source, error: `not valid JSON: ${(error as Error).message}` };
  }
  const parsed = DesignManifestSchema.safeParse(data);
  if (!parsed.success) {
    return { source, error: describeIssues(parsed.error) };
  }
  return { source, manifest: parsed.data };
}
