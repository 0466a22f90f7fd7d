import { CONFIG_FILES } from '../config/files.ts';
import { schemaUrl } from '../json-schema.ts';
import { type NewSession, newSessionMetadata } from '../sessions/create.ts';
import { withFrontMatter } from '../sessions/edit.ts';
import { BLUEPRINT } from '../sessions/record.ts';
import { newStateText, pendingStages } from '../sessions/state.ts';
import { VERSION } from '../version.ts';
import { blueprintDoc, readConstitution, sessionFiles, type TemplateValues } from './templates.ts';

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

export const STARTER_CONFIG = `# idse configuration: https://github.com/idse-toolkit/idse/blob/v${VERSION}/docs/config.md
# yaml-language-server: $schema=${schemaUrl('config.schema.json')}
rules: {}
# rules:
#   requirement-without-task: error   # or warning, info, off; by name or code (IDSE012)
ignore: []
`;

/** What a new session records besides its templates: type, lineage, description, tags, when. */
export type SessionDetails = Omit<NewSession, 'id' | 'owner'>;

/** Files a new session adds, relative to the workspace root: docs from the templates and its metadata. */
export function sessionPlan(
  values: TemplateValues,
  projectDir: string,
  details: SessionDetails,
): Map<string, string> {
  const dir = `${projectDir}/sessions/${values.session}`;
  const files = new Map<string, string>();
  for (const [path, content] of sessionFiles(values)) {
    const text =
      path === 'metadata/meta.md' && details.tags.length
        ? withFrontMatter(content, [['tags', details.tags]])
        : content;
    files.set(`${dir}/${path}`, text);
  }
  for (const [path, content] of newSessionMetadata({ ...details, id: values.session, owner: values.owner }))
    files.set(`${dir}/${path}`, content);
  return files;
}

/** The project's blueprint session: its record (named after the project, as upstream's is) and blueprint.md. */
export function blueprintPlan(
  values: TemplateValues,
  projectDir: string,
  stamp: string,
): Map<string, string> {
  const dir = `${projectDir}/sessions/${BLUEPRINT}`;
  const metadata = newSessionMetadata({
    id: BLUEPRINT,
    name: values.project,
    type: 'blueprint',
    owner: values.owner,
    tags: [],
    stamp,
  });
  return new Map([
    ...[...metadata].map(([path, text]): [string, string] => [`${dir}/${path}`, text]),
    [`${dir}/metadata/blueprint.md`, blueprintDoc(values)],
  ]);
}

/**
 * Everything `idse init` writes: the blueprint, a first feature session spawned from it (the current
 * one, with its session_state.json), and once per repo the config and constitution.
 */
export function initPlan(
  values: TemplateValues,
  stamp: string,
  existingConfig: boolean,
): { files: Map<string, string>; keep: Set<string> } {
  const projectDir = `projects/${values.project}`;
  const files = new Map([
    ...blueprintPlan(values, projectDir, stamp),
    ...sessionPlan(values, projectDir, { type: 'feature', parent: BLUEPRINT, tags: [], stamp }),
  ]);
  files.set(`${projectDir}/CURRENT_SESSION`, `${values.session}\n`);
  files.set(
    `${projectDir}/session_state.json`,
    newStateText(values.project, values.session, false, pendingStages(), stamp),
  );
  const keep = new Set<string>(['.idse/constitution.md']);
  files.set('.idse/constitution.md', readConstitution());
  if (!existingConfig) {
    files.set(CONFIG_FILES[2], STARTER_CONFIG);
    keep.add(CONFIG_FILES[2]);
  }
  return { files, keep };
}
