import { Command, Option } from 'clipanion';
import { IdseError } from '../../../src/errors.ts';
import { loadWorkspace } from '../../../src/run/load.ts';
import { IdseCommand } from '../../base.ts';

export class DesignCheckCommand extends IdseCommand {
  static override paths = [['design', 'check']];
  static override usage = Command.Usage({
    category: 'Agents',
    description:
      'List every `agency://component[@version]` reference and check it against the Design Sandbox manifest.',
    details:
      'The manifest is named in the config: `design: { manifest: design.json }` (a path or an http(s) URL). Exit 1 when a reference is unknown.',
    examples: [['Check references', '$0 design check']],
  });

  json = Option.Boolean('--json', false, { description: 'Print JSON' });
  root = Option.String('--root', { description: 'Workspace root (default: the current folder)' });

  async run(): Promise<number> {
    const options = { cwd: this.context.cwd, env: this.context.env, root: this.root };
    const loaded = await loadWorkspace(options);
    if (!loaded.config.design)
      throw new IdseError(
        'usage',
        'no design manifest configured: add `design: { manifest: design.json }` to the config',
      );
    const problems = new Map(
      loaded.diagnostics
        .filter((d) => d.code === 'IDSE027')
        .map((d) => [`${d.file}:${d.range?.start.line}:${d.range?.start.column}`, d.message]),
    );
    const refs = [...loaded.workspace.docs.values()].flatMap((doc) =>
      doc.facts.designRefs.map((ref) => {
        const at = `${doc.path}:${ref.span[0]}:${ref.span[1]}`;
        return {
          at,
          ref: `agency://${ref.component}${ref.version ? `@${ref.version}` : ''}`,
          problem: problems.get(at),
        };
      }),
    );
    if (this.json) this.print(JSON.stringify(refs, null, 2));
    else if (refs.length === 0) this.print('No agency:// references.');
    else for (const r of refs) this.print(`${r.at}  ${r.ref}  ${r.problem ? `✖ ${r.problem}` : '✔'}`);
    return refs.some((r) => r.problem) ? 1 : 0;
  }
}
