import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { IdseError } from '../errors.ts';
import { CONFIG_FILES } from './files.ts';
import type { Config } from './schema.ts';

declare const __IDSE_DEFAULT_CONFIG__: Config | undefined;

/**
 * The first config file found under `root`, or an explicit one; defaults when there is none.
 * `knownRules` is asked only when there is a file to check.
 */
export async function loadConfig(
  root: string,
  knownRules: () => ReadonlySet<string> | Promise<ReadonlySet<string>>,
  explicit?: string,
): Promise<{ config: Config; file?: string }> {
  const candidates = explicit ? [explicit] : CONFIG_FILES.map((f) => join(root, f));
  for (const file of candidates) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if (!explicit && (error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw new IdseError('config-unreadable', `cannot read config: ${(error as Error).message}`, { file });
    }
    // The YAML parser is loaded only when there is a file to parse.
    const { parseConfig } = await import('./parse.ts');
    return { config: parseConfig(text, file, await knownRules()), file };
  }
  // The bundles carry the defaults as the schema gives them at build time: a run without a config
  // file (most) loads no zod until it checks something. From source, the schema gives them.
  // A copy: the bundle holds one object, and a long-lived process must not see it changed.
  if (typeof __IDSE_DEFAULT_CONFIG__ === 'object')
    return { config: structuredClone(__IDSE_DEFAULT_CONFIG__) };
  return { config: (await import('./schema.ts')).defaultConfig() };
}
