import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CANONICAL_PATHS, type DocKind } from '../pipeline/stages.ts';

/** Template file of each doc kind, in `templates/`. */
export const TEMPLATE_FILES: Readonly<Record<DocKind, string>> = {
  intent: 'intent.md',
  context: 'context.md',
  spec: 'spec.md',
  plan: 'plan.md',
  'test-plan': 'test-plan.md',
  tasks: 'tasks.md',
  implementation: 'implementation.md',
  feedback: 'feedback.md',
  meta: 'meta.md',
};

/**
 * The `templates/` folder shipped with the package. Searched upwards from this module because the
 * module sits at a different depth in the source tree and in the bundle.
 */
export function templatesDir(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const candidate = join(dir, 'templates');
    if (existsSync(join(candidate, 'constitution.md'))) return candidate;
    if (dirname(dir) === dir) throw new Error('idse templates folder not found next to the package');
  }
}

export interface TemplateValues {
  project: string;
  session: string;
  owner: string;
  date: string;
}

export const renderTemplate = (text: string, values: TemplateValues): string =>
  text.replace(/\{\{(project|session|owner|date)\}\}/g, (_, key: keyof TemplateValues) => values[key]);

/** Session docs as `init` and `session new` write them: path inside the session → content. */
export function sessionFiles(values: TemplateValues, dir = templatesDir()): Map<string, string> {
  const files = new Map<string, string>();
  for (const [kind, file] of Object.entries(TEMPLATE_FILES) as [DocKind, string][]) {
    files.set(CANONICAL_PATHS[kind], renderTemplate(readFileSync(join(dir, file), 'utf8'), values));
  }
  return files;
}

/** The blueprint's `metadata/blueprint.md`: upstream's headings, for claims promoted into it later. */
export const blueprintDoc = (values: TemplateValues, dir = templatesDir()): string =>
  renderTemplate(readFileSync(join(dir, 'blueprint.md'), 'utf8'), values);

export const readConstitution = (dir = templatesDir()): string =>
  readFileSync(join(dir, 'constitution.md'), 'utf8');
