import { Command } from 'clipanion';
import { IdseCommand } from '../base.ts';

export class AppCommand extends IdseCommand {
  static override paths = [['app']];

  static override usage = Command.Usage({
    description: 'Serve the idse GitHub App: check runs on pushes and pull requests.',
    details: `
      Starts the GitHub App (Agency Core) on \`PORT\` (default 3000). Webhooks arrive at \`WEBHOOK_PATH\` (default \`/api/github/webhooks\`); \`GET /healthz\` answers \`ok\` for load balancers.

      Settings come from the environment, named as Probot names them: \`APP_ID\`, \`PRIVATE_KEY\` (or \`PRIVATE_KEY_PATH\`), \`WEBHOOK_SECRET\` (all required); \`GHE_HOST\` and \`GHE_PROTOCOL\` for GitHub Enterprise Server; \`HOST\`, \`LOG_LEVEL\` (default info; logs are JSON lines on stdout).

      Mirrors clients, repositories and every check run into the store when one is configured: \`IDSE_STORE\` (pglite, postgres or supabase), \`DATABASE_URL\`, \`SUPABASE_URL\` with \`SUPABASE_SERVICE_ROLE_KEY\`, or \`IDSE_DATA_DIR\`, as every store command reads them; migrations run at start. Validations then run as durable jobs (pg-boss in the store's database; on Supabase it needs \`SUPABASE_DB_URL\`), and mirror writes that fail while the store is down wait in an outbox on disk (\`IDSE_OUTBOX_DIR\`, default \`.idse-outbox\`) until it is back. Otherwise clients and jobs are kept in memory only.

      Serves the Agency dashboard at \`/dashboard\` for admin API keys (\`idse agency keys create --admin\`); it needs the store. See docs/dashboard.md.

      Runs until SIGINT or SIGTERM, then finishes the validations it has started. See docs/app.md.
    `,
    examples: [
      ['Serve the App', 'APP_ID=123 PRIVATE_KEY_PATH=app.pem WEBHOOK_SECRET=… $0 app'],
      ['Against GitHub Enterprise Server', 'GHE_HOST=github.example.com APP_ID=… $0 app'],
    ],
  });

  async run(): Promise<number> {
    // Loaded here, not at the top: every other command would otherwise pay for loading Probot.
    const { serveApp } = await import('../../src/app/serve.ts');
    const stop = new AbortController();
    const onSignal = (signal: NodeJS.Signals) => stop.abort(signal);
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      await serveApp({ env: this.context.env, cwd: this.context.cwd, stop: stop.signal });
      return 0;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  }
}
