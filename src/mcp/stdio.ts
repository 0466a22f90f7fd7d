import type { Readable, Writable } from 'node:stream';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';

/** The SDK's stdio limit: its transport drops a message larger than this, and stops reading. */
const MAX_MESSAGE = '10 MiB';

export type StdioStreams = { stdin: Readable; stdout: Writable; stderr: Writable };

/**
 * Serves until the client closes stdin (exit 0) or sends a message too large to read (exit 2). The
 * SDK's transport notices neither: it never listens for the end of stdin (the process then ran out of
 * work with this command unsettled, exit 13), and it closes in silence on an oversized message.
 */
export async function serveStdio(server: McpServer, streams: StdioStreams): Promise<number> {
  const transport = new StdioServerTransport(streams.stdin, streams.stdout);
  let oversized = false;
  const ended = new Promise<void>((done) => {
    // Handlers set before connect: the server chains its own after them.
    transport.onclose = done;
    streams.stdin.once('end', done);
  });
  transport.onerror = (error) => {
    if (/exceeded maximum size/.test(error.message)) oversized = true;
    else
      streams.stderr.write(
        `idse mcp: unreadable message: ${error.message.split('\n')[0]} [invalid-message]\n`,
      );
  };
  await server.connect(transport);
  // Tool calls still running when stdin ends go on and answer: the process exits once they have.
  await ended;
  if (!oversized) return 0;
  const message = `a message larger than ${MAX_MESSAGE} was refused; the server stops reading`;
  // JSON-RPC's answer when the request's id cannot be read (the SDK's types leave id: null out).
  streams.stdout.write(`${JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32600, message } })}\n`);
  streams.stderr.write(`idse mcp: ${message} [message-too-large]\n`);
  return 2;
}
