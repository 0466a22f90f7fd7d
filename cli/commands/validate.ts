import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, Option } from 'clipanion';
import * as t from 'typanion';
import { PROFILES } from '../../src/config/profiles.ts';
import { FORMATS, formatReport } from '../../src/report/format.ts';
import { shouldUseColor } from '../../src/report/pretty.ts';
import { loadReport } from '../../src/run/load.ts';
import { IdseCommand } from '../base.ts';
import { progressFor } from '../progress.ts';

export class ValidateCommand extends IdseCommand {
  static override paths = [['validate'], Command.Default];

  static override usage = Command.Usage({
    description: 'Check pipeline docs against the constitution’s rules.',
    details: `
      Reads every IDSE session under the workspace root (or the projects around the given paths), runs all rules and prints the findings.

      \`--profile recommended\` (the default) reports what a maintainer would fix today; \`--profile strict\` reports full traceability and template shape as errors. The config's \`profile:\` key sets it for every face.

      A run that finds no session exits 2 (\`allowEmptyWorkspace: true\` in the config allows it). With paths or \`--changed\` the summary says what was checked and counts only that.

      Exit codes: 0 no errors; 1 errors (or warnings past \`--max-warnings\`, or any warning with \`--strict\`); 2 usage, config or I/O failure, or no session found.
    `,
    examples: [
      ['Validate the workspace in the current folder', '$0 validate'],
      ['Validate one session', '$0 validate projects/demo/sessions/s1'],
      ['Full traceability as errors', '$0 validate --profile strict'],
      [
        'Only what changed since main, as SARIF',
        '$0 validate --changed --base origin/main --format sarif -o idse.sarif',
      ],
    ],
  });

  targets = Option.Rest({ name: 'paths' });
  format = Option.String('-f,--format', 'pretty', {
    description: `Output format: ${FORMATS.join(', ')}`,
    validator: t.isEnum(FORMATS),
  });
  output = Option.String('-o,--output', { description: 'Write the report to this file instead of stdout' });
  root = Option.String('--root', { description: 'Workspace root (default: the current folder)' });
  config = Option.String('-c,--config', {
    description: 'Config file (default: .github/idse.yml, .idse/config.yml or idse.config.yml)',
  });
  changed = Option.Boolean('--changed', false, {
    description: 'Report only files changed since --base (and check the session boundary)',
  });
  base = Option.String('--base', 'HEAD', { description: 'Git ref --changed compares against' });
  maxWarnings = Option.String('--max-warnings', {
    description: 'Exit 1 when there are more warnings than this',
    validator: t.isNumber(),
  });
  strict = Option.Boolean('--strict', false, { description: 'Exit 1 on any warning' });
  profile = Option.String('--profile', {
    description: `Rule profile: ${PROFILES.join(' or ')} (default: the config's, else recommended)`,
    validator: t.isEnum(PROFILES),
  });
  quiet = Option.Boolean('-q,--quiet', false, { description: 'Report errors only' });
  cache = Option.Boolean('--cache', true, {
    description: 'Reuse facts of unchanged docs from the last run (--no-cache to disable)',
  });
  color = Option.Boolean('--color', {
    description: 'Force colours on or off (default: on for a terminal, off with NO_COLOR)',
  });

  async run(): Promise<number> {
    const { stdout, stderr, env, cwd } = this.context;
    const progress = progressFor(this.context, this.format === 'pretty');
    const { report } = await loadReport({
      cwd,
      env,
      root: this.root,
      config: this.config,
      paths: this.targets,
      cache: this.cache,
      changedSince: this.changed ? this.base : undefined,
      profile: this.profile,
      requireSessions: true,
      progress: (text) => progress.say(text),
    }).finally(() => progress.done());
    const { errors, warnings } = report.summary;
    const warningsFail =
      (this.strict && warnings > 0) || (this.maxWarnings !== undefined && warnings > this.maxWarnings);
    const color = this.output ? false : (this.color ?? shouldUseColor(stdout as NodeJS.WriteStream, env));
    const text = formatReport(report, this.format, {
      color,
      cwd,
      quiet: this.quiet,
      failOn: warningsFail ? 'warning' : 'error',
    });
    if (this.output) writeFileSync(resolve(cwd, this.output), text);
    else stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    if (errors > 0) return 1;
    if (warningsFail && this.maxWarnings !== undefined && !(this.strict && warnings > 0))
      stderr.write(`idse: ${warnings} warnings exceed --max-warnings ${this.maxWarnings}\n`);
    return warningsFail ? 1 : 0;
  }
}
