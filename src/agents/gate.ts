import { isAbsolute, posix, relative, resolve, sep } from 'node:path';
import { z } from 'zod';
import { classifyPath } from '../model/layout.ts';
import { describeIssue } from '../zod-issues.ts';
import type { AgentMode } from './registry.ts';
import { readOnlyCommand } from './shell.ts';

/**
 * What Claude Code sends a `PreToolUse` hook on stdin. Only the fields the gate reads are checked;
 * the rest (session_id, transcript_path, permission_mode, tool_use_id, …) pass untouched.
 */
export const HookPayloadSchema = z.looseObject({
  hook_event_name: z.string().optional(),
  cwd: z.string().optional(),
  tool_name: z.string().min(1),
  tool_input: z.record(z.string(), z.unknown()),
});
export type HookPayload = z.infer<typeof HookPayloadSchema>;

/**
 * `allow` and `deny` are answers Claude Code acts on; `none` leaves the call to its own permission
 * rules. The gate only restricts: it never approves what the mode does not positively permit, so
 * installing it cannot make Claude Code ask you less than it did before.
 */
export type GateDecision = { decision: 'allow' | 'deny' | 'none'; reason: string };

export interface GatePolicy {
  agent: string;
  /** The agent's mode in `agent_registry.json`; undefined when it has none (nothing is restricted). */
  mode?: AgentMode;
  /** Absolute workspace root that tool paths are made relative to. */
  root: string;
  /** Whether the session a workspace-relative session folder names is closed (complete, archived). */
  closed(sessionDir: string): boolean;
}

/** Tools that write a file, and the input field naming it. */
const WRITE_TOOLS: Readonly<Record<string, string>> = {
  Write: 'file_path',
  Edit: 'file_path',
  MultiEdit: 'file_path',
  NotebookEdit: 'notebook_path',
};

/** The hook's stdin → the payload, or why it is not one. */
export function parseHookPayload(text: string): { payload: HookPayload } | { problem: string } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { problem: `the hook input is not JSON (${(error as Error).message})` };
  }
  const parsed = HookPayloadSchema.safeParse(data);
  if (!parsed.success)
    return {
      problem: `the hook input is not a PreToolUse payload: ${describeIssue(parsed.error.issues[0]!)}`,
    };
  return { payload: parsed.data };
}

const deny = (reason: string): GateDecision => ({ decision: 'deny', reason });

/** Decide one tool call. Pure: the policy carries everything known about the workspace. */
export function decide(payload: HookPayload, policy: GatePolicy): GateDecision {
  const { tool_name: tool, tool_input: input } = payload;
  const modeName = policy.mode ? `${policy.agent} is in ${policy.mode} mode (agent_registry.json)` : '';
  const field = WRITE_TOOLS[tool];
  if (field) {
    const target = input[field];
    if (typeof target !== 'string' || target === '')
      return deny(`${tool} names no file (\`${field}\` is missing): refused`);
    const rel = workspacePath(target, payload.cwd ?? policy.root, policy.root);
    if (rel === undefined) {
      return policy.mode === 'planning'
        ? deny(`${modeName}: ${target} is outside the workspace; only session docs may be written`)
        : { decision: 'none', reason: `${target} is outside the workspace` };
    }
    const role = classifyPath(rel);
    const inSession = role.role === 'doc' || role.role === 'stray-doc' || role.role === 'session-file';
    if (inSession && policy.closed(role.sessionDir))
      return deny(
        `${rel} belongs to the closed session ${role.project}/${role.session}: reopen it before editing its docs`,
      );
    if (policy.mode !== 'planning') return { decision: 'none', reason: `${rel} may be edited` };
    return inSession
      ? { decision: 'allow', reason: `${modeName}: ${rel} is a session doc` }
      : deny(
          `${modeName}: only session docs may be written, and ${rel} is not one. Hand the work to an implementation agent (\`idse handoff\`) or change the mode (\`idse agents set-mode ${policy.agent} implementation\`)`,
        );
  }
  if (tool === 'Bash' && policy.mode === 'planning') {
    const command = input.command;
    if (typeof command !== 'string') return deny('Bash names no command: refused');
    const verdict = readOnlyCommand(command);
    return verdict.readOnly
      ? { decision: 'allow', reason: `${modeName}: the command only reads` }
      : deny(`${modeName}: only read-only commands may run, and ${verdict.reason}`);
  }
  return {
    decision: 'none',
    reason: `${tool} is not restricted${policy.mode ? ` in ${policy.mode} mode` : ''}`,
  };
}

/** A tool's path as workspace-relative POSIX, or undefined when it lies outside the root. */
function workspacePath(target: string, cwd: string, root: string): string | undefined {
  const abs = isAbsolute(target) ? target : resolve(cwd, target);
  const rel = relative(root, abs);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return undefined;
  return posix.normalize(rel.split(sep).join('/'));
}

/**
 * What the hook prints: Claude Code's decision JSON for allow and deny; nothing for `none`, which
 * Claude Code reads as "proceed as you would without this hook".
 */
export function renderDecision(decision: GateDecision): string {
  if (decision.decision === 'none') return '';
  return `${JSON.stringify({
    hookSpecificOutput: {
      hookEventName: 'PreToolUse',
      permissionDecision: decision.decision,
      permissionDecisionReason: decision.reason,
    },
  })}\n`;
}
