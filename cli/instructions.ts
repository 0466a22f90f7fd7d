import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BLOCK_END,
  type FileChange,
  INSTRUCTION_FILES,
  mergeBlock,
  NEW_FILE_PREFIX,
  renderBlock,
} from '../src/agents/instructions.ts';
import { loadConfig } from '../src/config/load.ts';
import { loadDesignManifest } from '../src/design/load.ts';
import type { DesignManifest } from '../src/design/manifest.ts';
import { RULE_KEYS } from '../src/rules/registry.ts';
import { loadReport, type WorkspaceOptions } from '../src/run/load.ts';
import { writeFilesAtomically } from '../src/scaffold/write.ts';

/** The manifest the config names, when it loads; instruction files then list its components. */
async function configuredDesign(root: string): Promise<DesignManifest | undefined> {
  const { config } = await loadConfig(root, () => RULE_KEYS);
  if (!config.design) return undefined;
  const loaded = await loadDesignManifest(config.design.manifest, root);
  return 'manifest' in loaded ? loaded.manifest : undefined;
}

/**
 * Write the managed block into the agents' instruction files, all or nothing, and say what
 * happened to each. `onlyWithBlock` refreshes files that already carry a block and creates none.
 */
export async function writeInstructionFiles(
  options: WorkspaceOptions,
  agents: readonly string[],
  settings: { design?: DesignManifest; onlyWithBlock?: boolean } = {},
): Promise<{ path: string; change: FileChange }[]> {
  const { report } = await loadReport(options);
  const design = settings.design ?? (await configuredDesign(report.root));
  const block = renderBlock(report.sessions, design);
  const changed = new Map<string, string>();
  const files: { path: string; change: FileChange }[] = [];
  for (const agent of new Set(agents)) {
    const path = INSTRUCTION_FILES[agent]!;
    const abs = join(report.root, path);
    const before = existsSync(abs) ? readFileSync(abs, 'utf8') : undefined;
    if (settings.onlyWithBlock && !before?.includes(BLOCK_END)) continue;
    const after = mergeBlock(before, block, NEW_FILE_PREFIX[agent]);
    const change: FileChange = after === before ? 'unchanged' : before === undefined ? 'created' : 'updated';
    if (change !== 'unchanged') changed.set(path, after);
    files.push({ path, change });
  }
  if (changed.size) writeFilesAtomically(report.root, changed, { force: true });
  return files;
}
