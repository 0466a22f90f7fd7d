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
  let text: string;
  try {
    if (/^https?:\/\//i.test(source)) {
      const response = await fetch(source, { signal: AbortSignal.timeout(TIMEOUT_MS) });
      if (!response.ok) return { source, error: `HTTP ${response.status} ${response.statusText}` };
      text = await response.text();
    } else {
      text = await readFile(resolve(root, source), 'utf8');
    }
  } catch (error) {
    return { source, error: (error as Error).message };
  }
  return parseDesignManifest(text, source);
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
