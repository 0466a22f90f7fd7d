import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, Option } from 'clipanion';
import * as t from 'typanion';
import { resolveScope } from '../../../src/analytics/agency-lookup.ts';
import { renderAgencyMarkdown, renderAgencyText } from '../../../src/analytics/agency-render.ts';
import { buildAgencyReport } from '../../../src/analytics/agency-report.ts';
import { reportFile } from '../../../src/dashboard/pages.ts';
import { IdseError } from '../../../src/errors.ts';
import { IdseCommand } from '../../base.ts';
import { withStore } from '../../store.ts';
import { CATEGORY } from './listing.ts';

const FORMATS = ['text', 'json', 'markdown', 'html'] as const;

export class AgencyReportCommand extends IdseCommand {
  static override paths = [['agency', 'report']];
  static override usage = Command.Usage({
    category: CATEGORY,
    description:
      'Report the success metrics across clients (or of one client, project or session) from the store.',
    details:
      'Compliance, spec-to-code alignment, open markers, the stage funnel and top failing rules as they are now; validation pass rate and open markers by week, stage cycle times and init time over the history (default: the last 52 weeks). The same numbers as the App’s /dashboard; `--format html` writes its charts as one file.',
    examples: [
      ['Every client', '$0 agency report'],
      ['One client as markdown', '$0 agency report --client acme --format markdown'],
      ['HTML with charts', '$0 agency report --format html -o agency.html'],
    ],
  });

  client = Option.String('--client', { description: 'Client name or id' });
  project = Option.String('--project', { description: 'owner/repo/project, or a project id' });
  session = Option.String('--session', { description: 'owner/repo/project/session' });
  since = Option.String('--since', { description: 'First day of the history (YYYY-MM-DD)' });
  all = Option.Boolean('-a,--all,--archived', false, {
    description: 'Count archived projects and sessions too',
  });
  format = Option.String('-f,--format', 'text', {
    validator: t.isEnum(FORMATS),
    description: `One of ${FORMATS.join(', ')}`,
  });
  json = Option.Boolean('--json', false, { description: 'Same as --format json' });
  output = Option.String('-o,--output', { description: 'Write to this file instead of stdout' });

  async run(): Promise<number> {
    if (this.since && !/^\d{4}-\d{2}-\d{2}$/.test(this.since))
      throw new IdseError('usage', `--since '${this.since}' is not a date (YYYY-MM-DD)`);
    const metrics = await withStore(this.context, async (store) =>
      store.agencyMetrics({
        ...(await resolveScope(store, this)),
        ...(this.since ? { since: this.since } : {}),
        withArchived: this.all,
      }),
    );
    if (!metrics) throw new IdseError('usage', 'no such client, project or session');
    const report = buildAgencyReport(metrics);
    const format = this.json ? 'json' : this.format;
    const text =
      format === 'json'
        ? `${JSON.stringify(report, null, 2)}\n`
        : format === 'markdown'
          ? renderAgencyMarkdown(report)
          : format === 'html'
            ? reportFile(report, this.context.now())
            : renderAgencyText(report);
    if (this.output) writeFileSync(resolve(this.context.cwd, this.output), text);
    else this.context.stdout.write(text);
    return 0;
  }
}
