import { writeFileSync } from 'node:fs';
import { basename, relative, resolve, sep } from 'node:path';
import { Command, Option } from 'clipanion';
import * as t from 'typanion';
import { workspaceHistory } from '../../src/analytics/history.ts';
import { buildLocalReport } from '../../src/analytics/local-report.ts';
import { type HistoryPoint, pointOf } from '../../src/analytics/points.ts';
import { renderHtml, renderMarkdown, renderText } from '../../src/analytics/render.ts';
import { loadConfig } from '../../src/config/load.ts';
import { IdseError } from '../../src/errors.ts';
import { docInputs } from '../../src/model/build.ts';
import type { FactsCache } from '../../src/model/facts-key.ts';
import { RULE_KEYS } from '../../src/rules/registry.ts';
import { FactsPool } from '../../src/run/facts-pool.ts';
import { loadReport, type WorkspaceOptions } from '../../src/run/load.ts';
import { findGitRoot } from '../../src/run/sources/git.ts';
import { IdseCommand } from '../base.ts';
import { type Progress, progressFor } from '../progress.ts';

const FORMATS = ['text', 'json', 'markdown', 'html'] as const;

export class ReportCommand extends IdseCommand {
  static override paths = [['report']];
  static override usage = Command.Usage({
    description: 'Report the pipeline’s success metrics, now and over the repository’s git history.',
    details:
      'Compliance, spec-to-code alignment and open markers from the docs as they are; validation pass rate (per commit), stage cycle times, init time, feedback-loop time and the markers trend from replaying each commit through the engine. `--format html` writes one self-contained file with charts.',
    examples: [
      ['Text summary', '$0 report'],
      ['HTML with charts for the last quarter', '$0 report --format html --since 2026-09-01 -o report.html'],
    ],
  });

  format = Option.String('-f,--format', 'text', {
    validator: t.isEnum(FORMATS),
    description: `One of ${FORMATS.join(', ')}`,
  });
  since = Option.String('--since', { description: 'Only commits from this date (YYYY-MM-DD)' });
  maxCommits = Option.String('--max-commits', '500', {
    validator: t.isNumber(),
    description: 'Replay at most this many commits',
  });
  output = Option.String('-o,--output', { description: 'Write to this file instead of stdout' });
  root = Option.String('--root', { description: 'Workspace root (default: the current folder)' });

  async run(): Promise<number> {
    const since = this.since ? new Date(this.since) : undefined;
    if (since && Number.isNaN(since.getTime()))
      throw new IdseError('usage', `--since '${this.since}' is not a date (YYYY-MM-DD)`);
    const progress = progressFor(this.context, this.format !== 'json');
    const options = {
      cwd: this.context.cwd,
      env: this.context.env,
      root: this.root,
      progress: (text: string) => progress.say(text),
    };
    try {
      return await this.report(options, since, progress);
    } finally {
      progress.done();
    }
  }

  private async report(
    options: WorkspaceOptions,
    since: Date | undefined,
    progress: Progress,
  ): Promise<number> {
    const { report } = await loadReport(options);
    const { config } = await loadConfig(report.root, () => RULE_KEYS);
    const gitRoot = await findGitRoot(report.root);
    const points: HistoryPoint[] = [];
    if (gitRoot) {
      // Commits share most blobs: one facts memo across the whole replay parses each version once,
      // and one pool parses the large ones under the time budget, as validate does.
      const memo = new Map();
      const cache: FactsCache = { get: (k) => memo.get(k), set: (k, v) => memo.set(k, v) };
      const pool = new FactsPool({ inlineBelow: 300 });
      const prefix = relative(gitRoot, report.root).split(sep).join('/');
      try {
        for await (const snapshot of workspaceHistory({
          dir: gitRoot,
          prefix,
          ...(since ? { since } : {}),
          maxCommits: this.maxCommits,
        })) {
          const facts = await pool.prefetch(docInputs(snapshot.files, config), config, cache);
          points.push(pointOf(snapshot, config, facts));
          progress.say(`replaying the history: ${points.length.toLocaleString('en')} commits`);
        }
      } finally {
        await pool.close();
      }
    }
    const local = buildLocalReport(report, points, since);
    const text =
      this.format === 'json'
        ? `${JSON.stringify(local, null, 2)}\n`
        : this.format === 'markdown'
          ? renderMarkdown(local)
          : this.format === 'html'
            ? renderHtml(local, { workspace: basename(report.root), generatedAt: this.context.now() })
            : renderText(local);
    if (this.output) writeFileSync(resolve(this.context.cwd, this.output), text);
    else this.context.stdout.write(text);
    return 0;
  }
}
