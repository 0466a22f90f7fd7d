/**
 * The tools the MCP server offers IDE agents. Every tool goes through the engine (a fresh workspace
 * load per call, so an agent sees its own edits); the session operations in src/agents/session-tools.ts
 * do the work, and keep writes atomic and inside the session's folder.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { nextTasks } from '../agents/next.ts';
import {
  appendFeedback,
  findSession,
  markTaskDone,
  readDoc,
  sessionDiagnostics,
} from '../agents/session-tools.ts';
import { buildReport } from '../report/build.ts';
import type { LoadedWorkspace } from '../run/load.ts';
import { VERSION } from '../version.ts';
import { answer } from './result.ts';
import {
  AppendFeedbackInput,
  ListSessionsInput,
  MarkTaskDoneInput,
  NextTasksInput,
  ReadDocInput,
  ValidateSessionInput,
} from './schemas.ts';

export type ToolDeps = {
  /** Loads the workspace the server serves. */
  load: () => Promise<LoadedWorkspace>;
  /** The clock, for the date of a feedback entry. */
  now: () => Date;
};

const readText = (abs: string) => readFileSync(abs, 'utf8');

export function registerTools(server: McpServer, { load, now }: ToolDeps): void {
  server.registerTool(
    'list_sessions',
    {
      description: 'Projects and sessions with stage, status, open markers, coverage and finding counts.',
      inputSchema: ListSessionsInput,
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
      inputSchema: NextTasksInput,
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
      inputSchema: ReadDocInput,
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
    { description: 'Run every rule and return the session’s findings.', inputSchema: ValidateSessionInput },
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
      inputSchema: MarkTaskDoneInput,
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
      inputSchema: AppendFeedbackInput,
    },
    ({ project, session: name, text, tasks, requirements }) =>
      answer(async () => {
        const loaded = await load();
        const date = now().toISOString().slice(0, 10);
        return appendFeedback(
          loaded,
          findSession(loaded, project, name),
          { text, date, ...(tasks ? { tasks } : {}), ...(requirements ? { requirements } : {}) },
          (abs) => (existsSync(abs) ? readText(abs) : undefined),
        );
      }),
  );
}
