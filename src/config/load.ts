import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { IdseError } from '../errors.ts';
import { CONFIG_FILES } from './files.ts';
import { type Config, ConfigSchema } from './schema.ts';

/** The first config file found under `root`, or an explicit one; defaults when there is none. */
export async function loadConfig(
  root: string,
  knownRules: ReadonlySet<string>,
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
    return { config: parseConfig(text, file, knownRules), file };
  }
  return { config: ConfigSchema.parse({}) };
}
