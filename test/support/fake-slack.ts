/**
 * A local fake of Slack's Web API on loopback, for the unfurl tests: answers `chat.unfurl` like Slack
 * (`{ ok: true }`, or `invalid_auth` for a wrong bot token) and records every call it receives.
 */
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export type RecordedCall = { method: string; headers: IncomingHttpHeaders; body: Record<string, unknown>; rawBody: string };

export type FakeSlack = {
  /** Base URL to give as SLACK_API_URL, e.g. http://127.0.0.1:40123/api */
  apiUrl: string;
  calls: RecordedCall[];
  /** Resolves with the next call (or one already recorded after `since`); rejects after `timeoutMs`. */
  nextCall(since: number, timeoutMs?: number): Promise<RecordedCall>;
  stop(): Promise<void>;
};

export async function startFakeSlack(botToken: string): Promise<FakeSlack> {
  const calls: RecordedCall[] = [];
  const waiters: (() => void)[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const rawBody = Buffer.concat(chunks).toString("utf8");
      const method = (req.url ?? "").replace(/^\/api\//, "");
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(rawBody);
      } catch {
        body = Object.fromEntries(new URLSearchParams(rawBody));
      }
      calls.push({ method, headers: req.headers, body, rawBody });
      waiters.splice(0).forEach((wake) => wake());
      res.setHeader("Content-Type", "application/json");
      if (req.method !== "POST" || method !== "chat.unfurl") return res.end(JSON.stringify({ ok: false, error: "unknown_method" }));
      if (req.headers.authorization !== `Bearer ${botToken}`) return res.end(JSON.stringify({ ok: false, error: "invalid_auth" }));
      res.end(JSON.stringify({ ok: true }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiUrl: `http://127.0.0.1:${port}/api`,
    calls,
    async nextCall(since, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (calls.length <= since) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no Slack Web API call within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      return calls[since];
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
