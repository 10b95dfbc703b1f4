import { handleMcpRequest } from "@/lib/mcp/handler";

export const dynamic = "force-dynamic";

/** The MCP tool server (Streamable HTTP, stateless): lib/mcp/. */
export const POST = handleMcpRequest;
export const GET = handleMcpRequest;
export const DELETE = handleMcpRequest;
