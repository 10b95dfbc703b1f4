import "server-only";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";
import { runAction } from "@/lib/actions/define";
import { TASK_PRIORITIES, createTask } from "@/lib/activity/tasks";
import { TOUCHPOINT_TYPES, logTouchpoint } from "@/lib/activity/touchpoints";
import type { TokenCaller } from "@/lib/api/tokens";
import { TIMELINE_KINDS } from "@/lib/dal/timeline";
import type { Ctx } from "@/lib/dal/viewer";
import { todayIso } from "@/lib/days";
import { accountLink } from "./links";
import { accountSearch, accountSummary, accountTimeline, findAccount, type ReadOptions } from "./read-tools";

/*
 * The tool server for AI agents (/api/mcp). Built per request from the caller's token: servers keep
 * no state, so any instance answers any request. Each tool is offered only to a token with its
 * scope (READ_TOOLS, WRITE_TOOLS): a read-only token is not even offered the write tools. Writes go through the app's
 * own action definitions (authorization, validation, one transaction, timeline entry, events).
 */

/** Each read tool with the API read scope it needs (the same scopes as the REST reads). */
export const READ_TOOLS = { search_accounts: "accounts:read", get_account_summary: "accounts:read", get_timeline: "activity:read" } as const;
export const WRITE_TOOLS = { log_touchpoint: "touchpoints:write", create_task: "tasks:write" } as const;

type ToolResult = { content: { type: "text"; text: string }[]; structuredContent?: Record<string, unknown>; isError?: boolean };

function answer(value: Record<string, unknown>): ToolResult {
  return { content: [{ type: "text", text: JSON.stringify(value) }], structuredContent: value };
}
function refusal(message: string, fieldErrors?: Record<string, string[]>): ToolResult {
  const detail = fieldErrors && Object.keys(fieldErrors).length ? ` ${Object.entries(fieldErrors).map(([k, v]) => `${k}: ${v.join(" ")}`).join("; ")}` : "";
  return { content: [{ type: "text", text: `${message}${detail}` }], isError: true };
}
const NOT_FOUND = "No account with that id is visible to this token.";

/** Tool errors are answers the agent can read, never a stack trace. */
function guarded<A>(name: string, run: (args: A) => Promise<ToolResult>) {
  return async (args: A): Promise<ToolResult> => {
    try {
      return await run(args);
    } catch (error) {
      console.error(`[mcp ${name}]`, error);
      return refusal("Something went wrong on the server; nothing was written. Try again.");
    }
  };
}

const accountId = z.string().describe("The account's id (a UUID), e.g. from search_accounts.");
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Use YYYY-MM-DD.");

export function buildMcpServer(caller: TokenCaller, ctx: Ctx, base: string): McpServer {
  const server = new McpServer({ name: "customer-360", version: "1.0.0" }, { capabilities: { tools: {} } });
  const read: ReadOptions = { ctx, base, privileged: caller.scopes.includes("privileged:read") };

  if (caller.scopes.includes(READ_TOOLS.search_accounts)) server.registerTool(
    "search_accounts",
    {
      title: "Search accounts",
      description: "Find accounts by name, type or health band. Answers id, name, type, health, lifecycle stage, CSM and a link for each.",
      inputSchema: {
        query: z.string().max(200).optional().describe("Part of the account's name."),
        type: z.string().max(100).optional().describe("An account type key, e.g. customer."),
        health: z.enum(["good", "average", "poor"]).optional(),
        limit: z.number().int().min(1).max(50).optional().describe("At most 50; 20 by default."),
      },
      annotations: { readOnlyHint: true },
    },
    guarded("search_accounts", async (args) => answer(await accountSearch(read, args))),
  );

  if (caller.scopes.includes(READ_TOOLS.get_account_summary)) server.registerTool(
    "get_account_summary",
    {
      title: "Account profile summary",
      description: "One account's profile: key information, health with its dimensions, rolled-up figures (MRR, tickets, NPS, CSAT), open tasks and the latest timeline entries, each with its link.",
      inputSchema: { accountId },
      annotations: { readOnlyHint: true },
    },
    guarded("get_account_summary", async ({ accountId }) => {
      const account = await findAccount(ctx, accountId);
      return account ? answer(await accountSummary(read, account)) : refusal(NOT_FOUND);
    }),
  );

  if (caller.scopes.includes(READ_TOOLS.get_timeline)) server.registerTool(
    "get_timeline",
    {
      title: "Account timeline",
      description: "An account's timeline (activity of its sub-accounts included on parents), 50 entries a page, newest first, with optional filters.",
      inputSchema: {
        accountId,
        kinds: z.array(z.enum(TIMELINE_KINDS as [string, ...string[]])).max(20).optional().describe("Entry kinds to keep, e.g. touchpoint, task."),
        from: day.optional().describe("First day (UTC), inclusive."),
        to: day.optional().describe("Last day (UTC), inclusive."),
        author: z.string().optional().describe("A user id: only entries they wrote."),
        subAccount: z.string().optional().describe("A sub-account id: only its entries and those below it."),
        page: z.number().int().min(1).max(100).optional(),
      },
      annotations: { readOnlyHint: true },
    },
    guarded("get_timeline", async ({ accountId, ...filters }) => {
      const account = await findAccount(ctx, accountId);
      return account ? answer(await accountTimeline(read, account, filters)) : refusal(NOT_FOUND);
    }),
  );

  if (caller.scopes.includes(WRITE_TOOLS.log_touchpoint)) {
    server.registerTool(
      "log_touchpoint",
      {
        title: "Log a touchpoint",
        description: "Record a call, meeting, email, note, QBR or chat with the account; it appears on its timeline.",
        inputSchema: {
          accountId,
          type: z.enum(TOUCHPOINT_TYPES),
          subject: z.string().min(1).max(200),
          body: z.string().max(12_000).optional(),
          date: day.optional().describe("The day it happened (UTC); today by default."),
        },
        annotations: { readOnlyHint: false, destructiveHint: false },
      },
      guarded("log_touchpoint", async (args) => {
        if (!(await findAccount(ctx, args.accountId))) return refusal(NOT_FOUND);
        const result = await runAction(logTouchpoint, { ...args, date: args.date ?? todayIso(new Date()), contactIds: [], userIds: [] }, ctx);
        if (!result.ok) return refusal(result.error, result.fieldErrors);
        return answer({ touchpointId: result.data.id, accountId: result.data.accountId, url: accountLink(base, result.data.accountId), message: result.message ?? "Touchpoint logged." });
      }),
    );
  }

  if (caller.scopes.includes(WRITE_TOOLS.create_task)) {
    server.registerTool(
      "create_task",
      {
        title: "Create a task",
        description: "Create a task on the account (optionally with a due day and priority); it appears on its timeline and task list.",
        inputSchema: {
          accountId,
          title: z.string().min(1).max(200),
          description: z.string().max(2000).optional(),
          dueDate: day.optional(),
          priority: z.enum(TASK_PRIORITIES).optional(),
        },
        annotations: { readOnlyHint: false, destructiveHint: false },
      },
      guarded("create_task", async (args) => {
        if (!(await findAccount(ctx, args.accountId))) return refusal(NOT_FOUND);
        const result = await runAction(createTask, { ...args, priority: args.priority ?? "medium" }, ctx);
        if (!result.ok) return refusal(result.error, result.fieldErrors);
        return answer({ taskId: result.data.id, accountId: result.data.accountId, url: accountLink(base, result.data.accountId), message: result.message ?? "Task created." });
      }),
    );
  }
  return server;
}
