import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { Command, Option } from 'clipanion';
import { decide, type GateDecision, parseHookPayload, renderDecision } from '../../src/agents/gate.ts';
import { gateCommand, withGateHook } from '../../src/agents/hooks.ts';
import { agentNamer } from '../../src/agents/names.ts';
import { type AgentMode, REGISTRY_FILE, readRegistry } from '../../src/agents/registry.ts';
import { IdseError, isIdseError } from '../../src/errors.ts';
import { isClosed } from '../../src/model/progress.ts';
import { loadWorkspace } from '../../src/run/load.ts';
import { writeFilesAtomically } from '../../src/scaffold/write.ts';
import { IdseCommand } from '../base.ts';

export class AgentsInstallHooksCommand extends IdseCommand {
  static override paths = [['agents', 'install-hooks']];
  static override usage = Command.Usage({
    category: 'Agents',
    description: 'Register `idse agents gate` as a Claude Code PreToolUse hook, so agent modes are enforced.',
    details:
      'Merges into `.claude/settings.json` (`--local`: `.claude/settings.local.json`): your other settings and hooks are kept, and a gate registered earlier is updated rather than added twice. A settings file that is not valid JSON is reported and left alone.',
    examples: [
      ['Install for the team', '$0 agents install-hooks'],
      ['Only for you, running idse through npx', '$0 agents install-hooks --local --command "npx idse"'],
    ],
  });

  local = Option.Boolean('--local', false, {
    description: 'Write .claude/settings.local.json (not committed)',
  });
  command = Option.String('--command', 'idse', { description: 'How the hook runs idse (default: idse)' });
  agent = Option.String('--agent', 'claude', {
    description: 'The registry agent Claude Code is (default: claude)',
  });
  json = Option.Boolean('--json', false, { description: 'Print JSON' });
  root = Option.String('--root', { description: 'Workspace root (default: the current folder)' });

  async run(): Promise<number> {
    const root = resolve(this.context.cwd, this.root ?? '.');
    const path = `.claude/${this.local ? 'settings.local.json' : 'settings.json'}`;
    const abs = join(root, path);
    const before = existsSync(abs) ? readFileSync(abs, 'utf8') : undefined;
    const merged = withGateHook(before, gateCommand(this.command, this.agent));
    if ('problem' in merged)
      throw new IdseError('config-invalid', `cannot add the hook: ${merged.problem}`, { file: path });
    if (merged.change !== 'unchanged')
      writeFilesAtomically(root, new Map([[path, merged.text]]), { force: true });
    this.print(
      this.json ? JSON.stringify({ path, change: merged.change }) : `${merged.change.padEnd(9)} ${path}`,
    );
    return 0;
  }
}

/** Claude Code sends at most the tool call; a payload past this is not one it sent. */
const MAX_PAYLOAD_BYTES = 64 * 1024 * 1024;

async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.byteLength;
    if (size > MAX_PAYLOAD_BYTES)
      throw new IdseError('usage', `the hook input is larger than ${MAX_PAYLOAD_BYTES} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export class AgentsGateCommand extends IdseCommand {
  static override paths = [['agents', 'gate']];
  static override usage = Command.Usage({
    category: 'Agents',
    description: 'Answer a Claude Code PreToolUse hook: allow or deny a tool call by the agent’s mode.',
    details:
      'Reads the hook’s JSON on stdin. Planning mode: file writes only to session docs (any layout idse discovers) and read-only shell commands. Any mode: no edits to a closed session’s docs. Prints Claude Code’s decision JSON for allow and deny, and nothing when the call is none of its business (Claude Code then asks as usual). Input it cannot read is denied with the reason; the exit code is always 0.',
    examples: [
      [
        'As Claude Code runs it',
        'echo "$PAYLOAD" | $0 agents gate --agent claude --root "$CLAUDE_PROJECT_DIR"',
      ],
    ],
  });

  agent = Option.String('--agent', 'claude', {
    description: 'The registry agent being gated (default: claude)',
  });
  root = Option.String('--root', { description: 'Workspace root (default: the payload’s cwd)' });

  async run(): Promise<number> {
    let decision: GateDecision;
    try {
      decision = await this.decide();
    } catch (error) {
      // A gate that fails open is no gate: whatever goes wrong, the call is refused with the reason.
      const reason = isIdseError(error) ? error.format() : String((error as Error)?.message ?? error);
      decision = { decision: 'deny', reason: `idse could not check this call: ${reason}` };
    }
    this.context.stdout.write(renderDecision(decision));
    return 0;
  }

  private async decide(): Promise<GateDecision> {
    const parsed = parseHookPayload(await readAll(this.context.stdin));
    if ('problem' in parsed) return { decision: 'deny', reason: parsed.problem };
    const { payload } = parsed;
    const cwd = payload.cwd ?? this.context.cwd;
    const loaded = await loadWorkspace({ cwd, env: this.context.env, root: this.root ?? cwd });
    const modes = new Set<AgentMode>();
    let agent = this.agent;
    for (const project of loaded.workspace.projects) {
      const data = project.dataFiles.get(REGISTRY_FILE);
      if (!data) continue;
      const read = readRegistry(data.text);
      if ('problem' in read) throw new IdseError('config-invalid', read.problem, { file: data.path });
      const id = agentNamer(loaded.config, read.registry)(this.agent);
      const entry = read.registry.agents.find((a) => a.id === id);
      if (!entry) continue;
      agent = entry.id;
      if (entry.mode) modes.add(entry.mode);
    }
    const closed = new Set(
      loaded.workspace.projects.flatMap((p) => p.sessions.filter(isClosed).map((s) => s.dir)),
    );
    // Several projects may disagree; the strictest mode among them holds.
    const mode = modes.has('planning')
      ? 'planning'
      : modes.has('implementation')
        ? 'implementation'
        : undefined;
    return decide(payload, {
      agent,
      ...(mode ? { mode } : {}),
      root: loaded.root,
      closed: (dir) => closed.has(dir),
    });
  }
}
