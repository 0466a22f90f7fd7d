import { CONFIG_FILES } from '../config/schema.ts';
import { readConstitution, sessionFiles, type TemplateValues } from './templates.ts';

export const DEFAULT_SESSION = 'kickoff';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** Project and session names become folder names: keep them portable and traversal-free. */
export function checkName(kind: 'project' | 'session', name: string): string | undefined {
  return NAME.test(name) && !name.includes('..')
    ? undefined
    : `invalid ${kind} name '${name}': use letters, digits, '.', '_' or '-' (max 100), starting with a letter or digit`;
}

/** Owners are written into YAML front matter between double quotes. */
export const checkOwner = (owner: string): string | undefined =>
  /^[^"\\\n\r]{1,100}$/.test(owner)
    ? undefined
    : `invalid owner '${owner}': up to 100 characters, no quotes, backslashes or line breaks`;

export const STARTER_CONFIG = `# idse configuration: https://github.com/idse-toolkit/idse/blob/main/docs/config.md
# yaml-language-server: $schema=https://raw.githubusercontent.com/idse-toolkit/idse/main/schemas/config.schema.json
rules: {}
# rules:
#   requirement-without-task: error   # or warning, info, off; by name or code (IDSE012)
ignore: []
`;

/** Files a new session adds, relative to the workspace root. */
export function sessionPlan(values: TemplateValues, projectDir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const [path, content] of sessionFiles(values))
    files.set(`${projectDir}/sessions/${values.session}/${path}`, content);
  return files;
}

/** Everything `idse init` writes: the session, CURRENT_SESSION, and (once per repo) config and constitution. */
export function initPlan(
  values: TemplateValues,
  existingConfig: boolean,
): { files: Map<string, string>; keep: Set<string> } {
  const projectDir = `projects/${values.project}`;
  const files = sessionPlan(values, projectDir);
  files.set(`${projectDir}/CURRENT_SESSION`, `${values.session}\n`);
  const keep = new Set<string>(['.idse/constitution.md']);
  files.set('.idse/constitution.md', readConstitution());
  if (!existingConfig) {
    files.set(CONFIG_FILES[2], STARTER_CONFIG);
    keep.add(CONFIG_FILES[2]);
  }
  return { files, keep };
}
