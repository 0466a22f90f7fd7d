import { Command, Option } from 'clipanion';
import { RULES } from '../../src/rules/registry.ts';
import { ruleUrl } from '../../src/rules/rule.ts';
import { IdseCommand } from '../base.ts';

export class RulesCommand extends IdseCommand {
  static override paths = [['rules']];

  static override usage = Command.Usage({
    description:
      'List the rules with their codes, severity under the recommended and strict profiles, constitution article and docs.',
    examples: [
      ['List rules', '$0 rules'],
      ['As JSON', '$0 rules --json'],
    ],
  });

  json = Option.Boolean('--json', false, { description: 'Print JSON' });

  async run(): Promise<number> {
    const rows = RULES.map((r) => ({
      code: r.code,
      name: r.name,
      severity: r.defaultSeverity,
      strictSeverity: r.strictSeverity ?? r.defaultSeverity,
      article: r.article,
      description: r.description,
      url: ruleUrl(r.code),
    }));
    if (this.json) {
      this.print(JSON.stringify(rows, null, 2));
      return 0;
    }
    const width = Math.max(...rows.map((r) => r.name.length));
    this.print(`code     ${'name'.padEnd(width)}  recomm.  strict   article    checks that`);
    for (const r of rows) {
      this.print(
        `${r.code}  ${r.name.padEnd(width)}  ${r.severity.padEnd(7)}  ${r.strictSeverity.padEnd(7)}  Art. ${r.article.padEnd(4)}  ${r.description}`,
      );
    }
    this.print(`\nDocs: ${ruleUrl('<CODE>')}`);
    return 0;
  }
}
