import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { VERSION } from '../version.ts';
import { registerTools, type ToolDeps } from './tools.ts';

/** The idse MCP server with every tool registered, not yet connected to a transport. */
export function createMcpServer(deps: ToolDeps): McpServer {
  const server = new McpServer({ name: 'idse', version: VERSION });
  registerTools(server, deps);
  return server;
}
