import { readFileSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { Command, Option } from 'clipanion';
import * as t from 'typanion';
import { clientNamed } from '../../../src/analytics/agency-lookup.ts';
import { IdseError } from '../../../src/errors.ts';
import { pathProblem } from '../../../src/sync/paths.ts';
import { type PublishedKind, PublishedKindSchema } from '../../../src/sync/protocol.ts';
import { IdseCommand } from '../../base.ts';
import { withStore } from '../../store.ts';

export class AgencyPublishCommand extends IdseCommand {
  static override paths = [['agency', 'publish']];
  static override usage = Command.Usage({
    category: 'Agency admin',
    description: "Publish a doc to a client's workspaces: `idse sync pull` brings it there.",
    details: `
      Publishes the file's text for the client (every project of it, or one with \`--project\`) at the workspace path \`--as\` (default: the file's own path). Publishing the same text again for the same path is a no-op. Works on the store the environment names (see docs/store.md).

      The kind defaults from the path: \`constitution\` when its name says so, \`feedback\` under a feedback folder, \`template\` under templates, else \`doc\`.
    `,
    examples: [
      [
        'Publish the constitution to every project of a client',
        '$0 agency publish --client acme templates/constitution.md --as .idse/constitution.md',
      ],
      [
        'Review feedback for one session',
        '$0 agency publish --client acme --project web review.md --as projects/web/sessions/s1/feedback/review.md',
      ],
    ],
  });

  client = Option.String('--client', { required: true, description: 'Client name or id' });
  project = Option.String('--project', { description: 'Only this project (default: all of the client)' });
  file = Option.String({ name: 'file' });
  as = Option.String('--as', { description: 'Workspace path to publish it at (default: the file path)' });
  kind = Option.String('--kind', {
    description: `${PublishedKindSchema.options.join(', ')} (default: from the path)`,
    validator: t.isEnum(PublishedKindSchema.options),
  });
  json = Option.Boolean('--json', false, { description: 'Print JSON' });

  async run(): Promise<number> {
    const source = resolve(this.context.cwd, this.file);
    const path = this.as ?? relative(this.context.cwd, source).split(sep).join('/');
    const problem = pathProblem(path);
    if (problem) throw new IdseError('usage', `cannot publish at ${JSON.stringify(path)}: ${problem} (--as)`);
    const content = readText(source);
    const kind = this.kind ?? kindOf(path);
    const published = await withStore(this.context, async (store) => {
      const client = await clientNamed(store, this.client);
      const result = await store.publishDoc({
        client_id: client.client_id,
        project: this.project,
        path,
        kind,
        content,
      });
      return { ...result, client_id: client.client_id, client: client.login };
    });
    const reach = this.project
      ? `project ${this.project} of ${published.client}`
      : `every project of ${published.client}`;
    this.print(
      this.json
        ? JSON.stringify({ ...published, path, kind, project: this.project ?? null })
        : `${published.duplicate ? 'Already published' : 'Published'} ${kind} ${path} for ${reach} (cursor ${published.id})`,
    );
    return 0;
  }
}

function readText(file: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new IdseError('path-not-found', `cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new IdseError('usage', `${file} is not UTF-8 text; only text docs can be published`);
  }
}

function kindOf(path: string): PublishedKind {
  const lower = path.toLowerCase();
  if (/(^|\/)[^/]*constitution[^/]*$/.test(lower)) return 'constitution';
  if (/(^|\/)feedback\//.test(lower)) return 'feedback';
  if (/(^|\/)templates?\//.test(lower)) return 'template';
  return 'doc';
}
