import "server-only";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { getDb } from "@/db";
import { authenticateToken } from "@/lib/api/tokens";
import { linkBaseFor } from "./links";
import { buildMcpServer } from "./server";

const MAX_BODY_BYTES = 1024 * 1024;

function jsonRpcError(status: number, message: string, headers: Record<string, string> = {}): Response {
  return Response.json({ jsonrpc: "2.0", error: { code: status === 401 ? -32001 : -32000, message }, id: null }, { status, headers });
}

/**
 * One MCP request over Streamable HTTP, stateless: the bearer token is checked, a server with the
 * token's tools is built, answers this one request (JSON, no session id) and is dropped.
 */
export async function handleMcpRequest(request: Request): Promise<Response> {
  if (request.method !== "POST") {
    // Stateless: no server-initiated stream (GET) and no session to end (DELETE).
    return jsonRpcError(405, "This MCP server is stateless: send JSON-RPC requests with POST.", { Allow: "POST" });
  }
  const length = Number(request.headers.get("content-length") ?? 0);
  if (length > MAX_BODY_BYTES) return jsonRpcError(413, "The request body is over 1 MB.");
  const db = await getDb();
  const auth = await authenticateToken(db, request.headers.get("authorization"));
  if (!auth.ok) return jsonRpcError(401, auth.error, { "WWW-Authenticate": 'Bearer realm="customer-360"' });
  const server = buildMcpServer(auth.caller, { db, viewer: auth.caller.viewer }, linkBaseFor(request));
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  try {
    await server.connect(transport);
    return await transport.handleRequest(request);
  } catch (error) {
    console.error("[mcp]", error);
    return jsonRpcError(500, "Something went wrong on the server.");
  } finally {
    // The JSON answer is complete once handleRequest resolves; nothing stays behind per request.
    void server.close().catch(() => {});
  }
}
