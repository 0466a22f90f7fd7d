import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { Command, Option } from 'clipanion';
import { INSTRUCTION_FILES } from '../../../src/agents/instructions.ts';
import { isUrl, readSource } from '../../../src/design/load.ts';
import { manifestFromComponents, manifestFromStorybook } from '../../../src/design/storybook.ts';
import { IdseError } from '../../../src/errors.ts';
import { loadWorkspace } from '../../../src/run/load.ts';
import { writeFilesAtomically } from '../../../src/scaffold/write.ts';
import { IdseCommand } from '../../base.ts';
import { writeInstructionFiles } from '../../instructions.ts';

/** Component files in a folder; stories, tests, indexes and type declarations are not components. */
const isComponentFile = (name: string): boolean =>
  /\.(tsx|jsx|ts|js|vue|svelte)$/.test(name) &&
  !/\.(stories|story|test|spec|d)\.[a-z]+$/.test(name) &&
  !/^index\./.test(name);

export class DesignExportCommand extends IdseCommand {
  static override paths = [['design', 'export']];
  static override usage = Command.Usage({
    category: 'Agents',
    description:
      'Build the Design Sandbox manifest (design.json) from a Storybook index.json or a components folder.',
    details:
      'From Storybook (7 or later: the `index.json` a built or running Storybook serves, as a file or an http(s) URL), each component — the stories sharing a title — becomes `agency://<storybook component id>`, with a preview link when the Storybook’s address is known. From a folder, each sub-folder or component file becomes `agency://<kebab-name>`. The manifest is checked against the manifest schema before it is written, and the instruction files that carry an idse block (AGENTS.md, CLAUDE.md, …) get a Design Sandbox section listing the components.',
    examples: [
      [
        'From a running Storybook',
        '$0 design export --storybook http://localhost:6006/index.json --version 2.1.0',
      ],
      [
        'From a static build',
        '$0 design export --storybook storybook-static/index.json --preview-base https://design.example.com',
      ],
      ['From a components folder', '$0 design export --components src/components --version 1.4.0'],
    ],
  });

  storybook = Option.String('--storybook', { description: 'Storybook index.json: a path or an http(s) URL' });
  components = Option.String('--components', {
    description: 'A folder with one sub-folder or file per component',
  });
  version = Option.String('--version', {
    description: 'Version of the components (default: package.json’s)',
  });
  previewBase = Option.String('--preview-base', {
    description: 'Address of the published Storybook, for preview links',
  });
  out = Option.String('-o,--out', {
    description: 'Where to write (default: the config’s design.manifest, else design.json)',
  });
  dryRun = Option.Boolean('--dry-run', false, { description: 'Print the manifest instead of writing it' });
  json = Option.Boolean('--json', false, { description: 'Print JSON' });
  root = Option.String('--root', { description: 'Workspace root (default: the current folder)' });

  async run(): Promise<number> {
    if (Boolean(this.storybook) === Boolean(this.components))
      throw new IdseError('usage', 'give one source: --storybook <index.json|url> or --components <folder>');
    const options = { cwd: this.context.cwd, env: this.context.env, root: this.root };
    const loaded = await loadWorkspace(options);
    const version = this.version ?? packageVersion(loaded.root);
    if (!version) throw new IdseError('usage', 'no --version and no package.json version to take it from');
    const result = this.storybook
      ? manifestFromStorybook(await this.readIndex(this.storybook), {
          version,
          ...(this.previewBase || isUrl(this.storybook)
            ? { previewBase: this.previewBase ?? this.storybook }
            : {}),
        })
      : manifestFromComponents(this.componentNames(resolve(this.context.cwd, this.components!)), { version });
    if ('problem' in result)
      throw new IdseError('usage', `${this.storybook ?? this.components}: ${result.problem}`);
    const text = `${JSON.stringify(result.manifest, null, 2)}\n`;
    if (this.dryRun) {
      this.context.stdout.write(text);
      return 0;
    }
    const configured = loaded.config.design?.manifest;
    const target = this.out ?? (configured && !isUrl(configured) ? configured : 'design.json');
    const file = relative(loaded.root, resolve(this.out ? this.context.cwd : loaded.root, target))
      .split('\\')
      .join('/');
    if (file.startsWith('..')) throw new IdseError('usage', `${target} is outside the workspace`);
    writeFilesAtomically(loaded.root, new Map([[file, text]]), { force: true });
    const instructions = await writeInstructionFiles(options, Object.keys(INSTRUCTION_FILES), {
      design: result.manifest,
      onlyWithBlock: true,
    });
    if (this.json) {
      this.print(
        JSON.stringify({ file, components: result.manifest.components.length, instructions }, null, 2),
      );
      return 0;
    }
    this.print(`wrote     ${file} (${result.manifest.components.length} components)`);
    for (const { path, change } of instructions) this.print(`${change.padEnd(9)} ${path}`);
    if (configured !== file)
      this.print(
        `Add \`design: { manifest: ${file} }\` to the config so validation checks agency:// references against it.`,
      );
    return 0;
  }

  private async readIndex(source: string): Promise<string> {
    const read = await readSource(source, this.context.cwd);
    if ('text' in read) return read.text;
    const missing = !isUrl(source) && !existsSync(resolve(this.context.cwd, source));
    throw new IdseError('path-not-found', missing ? `${source} does not exist` : `${source}: ${read.error}`);
  }

  private componentNames(dir: string): string[] {
    if (!existsSync(dir) || !statSync(dir).isDirectory())
      throw new IdseError('path-not-found', `${this.components} is not a folder`);
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => !e.name.startsWith('.') && (e.isDirectory() || (e.isFile() && isComponentFile(e.name))))
      .map((e) => e.name);
  }
}

function packageVersion(root: string): string | undefined {
  const file = join(root, 'package.json');
  if (!existsSync(file)) return undefined;
  try {
    const version = (JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown }).version;
    return typeof version === 'string' && version ? version : undefined;
  } catch {
    return undefined;
  }
}
