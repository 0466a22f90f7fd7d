import { existsSync, readFileSync } from 'node:fs';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { Command, Option } from 'clipanion';
import { z } from 'zod';
import { nextTasks } from '../../src/agents/next.ts';
import {
  appendFeedback,
  findSession,
  markTaskDone,
  readDoc,
  sessionDiagnostics,
} from '../../src/agents/session-tools.ts';
import { isIdseError } from '../../src/errors.ts';
import { DocKindSchema } from '../../src/pipeline/stages.ts';
import { buildReport } from '../../src/report/build.ts';
import { loadWorkspace } from '../../src/run/load.ts';
import { VERSION } from '../../src/version.ts';
import { IdseCommand } from '../base.ts';
import type { IdseContext } from '../context.ts';

type ToolResult = { content: { type: 'text'; text: string }[]; isError?: boolean };

/** Tool answers are JSON text; user errors become `isError` results with their code, never a crash. */
async function answer(work: () => Promise<unknown>): Promise<ToolResult> {
  try {
    return { content: [{ type: 'text', text: JSON.stringify(await work(), null, 2) }] };
  } catch (error) {
    const text = isIdseError(error)
      ? `[${error.code}] ${error.message}`
      : `[internal] ${(error as Error).message}`;
    return { content: [{ type: 'text', text }], isError: true };
  }
}

const readText = (abs: string) => readFileSync(abs, 'utf8');
const session = {
  project: z.string().describe('Project name'),
  session: z.string().describe('Session name'),
};

export class McpCommand extends IdseCommand {
  static override paths = [['mcp']];
  static override usage = Command.Usage({
    category: 'Agents',
    description: 'Serve the workspace to IDE agents over the Model Context Protocol (stdio).',
    details:
      'Tools: list_sessions, next_tasks, read_doc, validate_session, mark_task_done, append_feedback. Every tool goes through the engine; writes are atomic and confined to the session’s folder. Register it in your agent, e.g. `claude mcp add idse -- idse mcp`.',
    examples: [['Serve the current folder', '$0 mcp']],
  });

  root = Option.String('--root', { description: 'Workspace root (default: the current folder)' });

  async run(): Promise<number> {
    const load = () => loadWorkspace({ cwd: this.context.cwd, env: this.context.env, root: this.root });
    const server = new McpServer({ name: 'idse', version: VERSION });

    server.registerTool(
      'list_sessions',
      {
        description: 'Projects and sessions with stage, status, open markers, coverage and finding counts.',
        inputSchema: { project: z.string().optional() },
      },
      ({ project }) =>
        answer(async () => {
          const loaded = await load();
          const { sessions } = buildReport(loaded, loaded.config, loaded.root, VERSION);
          return project ? sessions.filter((s) => s.project === project) : sessions;
        }),
    );
    server.registerTool(
      'next_tasks',
      {
        description:
          'Open tasks whose dependencies are done, routed to an agent (current sessions unless one is named; never from complete or archived sessions, never template lines).',
        inputSchema: {
          agent: z.string().optional(),
          session: z.string().optional(),
          limit: z.number().int().positive().max(50).optional(),
        },
      },
      ({ agent, session: name, limit }) =>
        answer(async () => {
          const loaded = await load();
          return nextTasks(loaded.workspace, loaded.config, { agent, session: name, limit: limit ?? 5 });
        }),
    );
    server.registerTool(
      'read_doc',
      {
        description:
          'A session doc by kind (intent, spec, tasks, …) or by path inside the session, whole or one section.',
        inputSchema: {
          ...session,
          kind: DocKindSchema.optional(),
          path: z.string().max(4096).optional(),
          section: z.string().optional(),
        },
      },
      ({ project, session: name, kind, path, section }) =>
        answer(async () => {
          const loaded = await load();
          return readDoc(
            loaded,
            findSession(loaded, project, name),
            { ...(kind ? { kind } : {}), ...(path ? { path } : {}), ...(section ? { section } : {}) },
            readText,
          );
        }),
    );
    server.registerTool(
      'validate_session',
      { description: 'Run every rule and return the session’s findings.', inputSchema: session },
      ({ project, session: name }) =>
        answer(async () => {
          const loaded = await load();
          return sessionDiagnostics(loaded, findSession(loaded, project, name));
        }),
    );
    server.registerTool(
      'mark_task_done',
      {
        description: 'Tick a task (`Task 1.2` or `T012`) once its acceptance check passes.',
        inputSchema: { ...session, task: z.string() },
      },
      ({ project, session: name, task }) =>
        answer(async () => {
          const loaded = await load();
          return markTaskDone(loaded, findSession(loaded, project, name), task, readText);
        }),
    );
    server.registerTool(
      'append_feedback',
      {
        description: 'Append a feedback entry citing the tasks and requirements it concerns (at least one).',
        inputSchema: {
          ...session,
          text: z.string().min(1).max(4000),
          tasks: z.array(z.string()).optional(),
          requirements: z.array(z.string()).optional(),
        },
      },
      ({ project, session: name, text, tasks, requirements }) =>
        answer(async () => {
          const loaded = await load();
          const date = this.context.now().toISOString().slice(0, 10);
          return appendFeedback(
            loaded,
            findSession(loaded, project, name),
            { text, date, ...(tasks ? { tasks } : {}), ...(requirements ? { requirements } : {}) },
            (abs) => (existsSync(abs) ? readText(abs) : undefined),
          );
        }),
    );

    return serveStdio(server, this.context);
  }
}

/** The SDK's stdio limit: its transport drops a message larger than this, and stops reading. */
const MAX_MESSAGE = '10 MiB';

/**
 * Serves until the client closes stdin (exit 0) or sends a message too large to read (exit 2). The
 * SDK's transport notices neither: it never listens for the end of stdin (the process then ran out of
 * work with this command unsettled, exit 13), and it closes in silence on an oversized message.
 */
async function serveStdio(server: McpServer, context: IdseContext): Promise<number> {
  const transport = new StdioServerTransport(context.stdin, context.stdout);
  let oversized = false;
  const ended = new Promise<void>((done) => {
    // Handlers set before connect: the server chains its own after them.
    transport.onclose = done;
    context.stdin.once('end', done);
  });
  transport.onerror = (error) => {
    if (/exceeded maximum size/.test(error.message)) oversized = true;
    else
      context.stderr.write(
        `idse mcp: unreadable message: ${error.message.split('\n')[0]} [invalid-message]\n`,
      );
  };
  await server.connect(transport);
  // Tool calls still running when stdin ends go on and answer: the process exits once they have.
  await ended;
  if (!oversized) return 0;
  const message = `a message larger than ${MAX_MESSAGE} was refused; the server stops reading`;
  // JSON-RPC's answer when the request's id cannot be read (the SDK's types leave id: null out).
  context.stdout.write(`${JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32600, message } })}\n`);
  context.stderr.write(`idse mcp: ${message} [message-too-large]\n`);
  return 2;
}
