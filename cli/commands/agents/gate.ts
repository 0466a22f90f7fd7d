import type { Readable } from 'node:stream';
import { Command, Option } from 'clipanion';
import { decide, type GateDecision, parseHookPayload, renderDecision } from '../../../src/agents/gate.ts';
import { gatePolicy } from '../../../src/agents/gate-policy.ts';
import { IdseError, isIdseError } from '../../../src/errors.ts';
import { IdseCommand } from '../../base.ts';

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
    const policy = await gatePolicy({
      cwd,
      root: this.root ?? cwd,
      env: this.context.env,
      agent: this.agent,
    });
    return decide(payload, policy);
  }
}
