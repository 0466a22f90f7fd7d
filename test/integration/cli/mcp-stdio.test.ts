/**
 * `idse mcp` as the process an IDE starts: how it ends. A client that closes stdin ends the server
 * with exit 0 (after answering what it was sent), and a message too large to read is refused with a
 * JSON-RPC error and a coded line on stderr, never a silent exit.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { idse, tempDir } from '../../helpers/cli.ts';

const CLI = fileURLToPath(new URL('../../../dist/cli.js', import.meta.url));

/** Runs `idse mcp`, writes `input` to its stdin, closes it, and collects what it answered. */
async function mcp(input: string | Buffer): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const root = tempDir();
  await idse(['init', 'demo'], { cwd: root });
  const child = spawn(process.execPath, [CLI, 'mcp', '--root', root], {
    env: { PATH: process.env.PATH ?? '', IDSE_CACHE_DIR: tempDir('idse-cache-') },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d;
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d;
  });
  // The server may stop reading before all of a refused message is written.
  child.stdin.on('error', () => {});
  const code = new Promise<number | null>((resolve) => child.once('exit', resolve));
  child.stdin.end(input);
  return { code: await code, stdout, stderr };
}

const line = (message: object) => `${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`;
const INITIALIZE = line({
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } },
});

describe('idse mcp over stdio', () => {
  it('exits 0 when its client closes stdin without a word', async () => {
    const run = await mcp('');
    expect(run).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('answers what it was sent before stdin closed, then exits 0', async () => {
    const run = await mcp(
      INITIALIZE + line({ method: 'notifications/initialized' }) + line({ id: 2, method: 'tools/list' }),
    );
    expect(run.code).toBe(0);
    const answers = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(answers.map((a) => a.id)).toEqual([1, 2]);
    expect(answers[1].result.tools.map((t: { name: string }) => t.name)).toContain('read_doc');
    expect(run.stderr).toBe('');
  });

  it('refuses a message over 10 MB with a JSON-RPC error and a coded line, and exits 2', async () => {
    const huge = `{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"x":"${'a'.repeat(11 * 1024 * 1024)}"}}\n`;
    const run = await mcp(INITIALIZE + huge);
    expect(run.code).toBe(2);
    const answers = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(answers.at(-1)).toEqual({
      jsonrpc: '2.0',
      id: null,
      error: { code: -32600, message: expect.stringContaining('larger than 10 MiB') },
    });
    expect(run.stderr).toMatch(/^idse mcp: .*larger than 10 MiB.* \[message-too-large\]\n$/);
  });
});
