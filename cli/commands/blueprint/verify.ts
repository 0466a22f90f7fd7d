import { Command } from 'clipanion';
import { contradictingLines } from '../../../src/blueprint/contradiction.ts';
import { sessionsFeedback } from '../../../src/blueprint/gate.ts';
import { IdseError } from '../../../src/errors.ts';
import { BlueprintCommand } from './base.ts';

/** Rules whose findings `verify` reports with its own checks. */
const BLUEPRINT_RULES = new Set(['IDSE040', 'IDSE041', 'IDSE042']);

export class BlueprintVerifyCommand extends BlueprintCommand {
  static override paths = [['blueprint', 'verify']];
  static override usage = Command.Usage({
    category: 'Blueprint',
    description:
      'Check the blueprint: every active claim has live evidence, no feedback contradicts it, nothing is stated twice.',
    details:
      'Reports the findings of rules IDSE040–IDSE042 for the blueprint and every feedback line that contradicts an active claim (a contradiction marker naming the claim by number or words). Exit 1 when there is any.',
    examples: [['In CI', '$0 blueprint verify']],
  });

  async run(): Promise<number> {
    const { loaded, project, blueprint } = await this.load();
    if (!blueprint)
      throw new IdseError('usage', `project ${project.name} has no blueprint (metadata/blueprint.md)`);
    const problems = loaded.diagnostics
      .filter((d) => BLUEPRINT_RULES.has(d.code) && d.file === blueprint.file)
      .map((d) => ({ code: d.code, file: d.file, line: d.range?.start.line, message: d.message }));
    const readText = this.readText(loaded);
    for (const claim of blueprint.claims.filter((c) => c.status === 'active')) {
      for (const path of sessionsFeedback(
        project,
        project.sessions.map((s) => s.name),
      )) {
        for (const line of contradictingLines(readText(path) ?? '', claim))
          problems.push({
            code: 'contradicted',
            file: path,
            line,
            message: `contradicts blueprint claim #${claim.id}`,
          });
      }
    }
    const active = blueprint.claims.filter((c) => c.status === 'active').length;
    if (this.json) {
      this.print(
        JSON.stringify(
          {
            project: project.name,
            file: blueprint.file,
            claims: blueprint.claims.length,
            active,
            ok: !problems.length,
            problems,
          },
          null,
          2,
        ),
      );
    } else {
      for (const p of problems)
        this.print(`${p.file}${p.line ? `:${p.line}` : ''}  ${p.message}  [${p.code}]`);
      this.print(
        problems.length
          ? `✖ ${problems.length} problem(s) in the blueprint of ${project.name} (${active} active claim(s))`
          : `✔ Blueprint of ${project.name}: ${active} active claim(s), all with live evidence, none contradicted, none repeated`,
      );
    }
    return problems.length ? 1 : 0;
  }
}
