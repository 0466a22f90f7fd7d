import { Command, Option } from 'clipanion';
import { IdseCommand } from '../base.ts';

export class DoctorCommand extends IdseCommand {
  static override paths = [['doctor']];
  static override usage = Command.Usage({
    description: 'Check what idse needs: Node, git, the config, the store and the App’s settings.',
    details: `
      Each check prints \`ok\`, \`skip\` (not set up, and only needed by a part of idse you may not use) or \`fail\`, with the fix. The store is the one \`idse agency …\` would use: the environment's (see docs/store.md; it is opened, which applies pending migrations as any store command does), or the running App that holds the embedded store.

      Exit codes: 0 nothing failed; 1 some check failed.
    `,
    examples: [
      ['Check this folder', '$0 doctor'],
      ['As JSON', '$0 doctor --json'],
    ],
  });

  root = Option.String('--root', { description: 'Workspace root (default: found from the current folder)' });
  json = Option.Boolean('--json', false, { description: 'Print JSON' });

  async run(): Promise<number> {
    const { runChecks } = await import('../../src/doctor/checks.ts');
    const checks = await runChecks({ cwd: this.context.cwd, env: this.context.env, root: this.root });
    const failed = checks.some((c) => c.status === 'fail');
    if (this.json) {
      this.print(JSON.stringify({ schema: 'idse.doctor/v1', ok: !failed, checks }));
    } else {
      const width = Math.max(...checks.map((c) => c.name.length));
      for (const c of checks) {
        this.print(`${c.status.padEnd(4)}  ${c.name.padEnd(width)}  ${c.detail}`);
        if (c.fix && c.status !== 'ok') this.print(`${' '.repeat(width + 6)}fix: ${c.fix}`);
      }
    }
    return failed ? 1 : 0;
  }
}
