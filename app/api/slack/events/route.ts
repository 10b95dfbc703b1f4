import { after } from "next/server";
import { getDb } from "@/db";
import { receiveSlackRequest, slackConfigFromEnv, unfurlLinks } from "@/lib/unfurl/slack-events";

export const dynamic = "force-dynamic";

/** Slack's event payloads are a few kilobytes; anything this large is not Slack. */
const MAX_BODY_BYTES = 256 * 1024;

/**
 * The Slack app's Events API endpoint (no session: Slack signs each request with the app's signing
 * secret instead). Answers at once; the chat.unfurl call for a link_shared event runs after the
 * response has been sent, so Slack gets its answer well within its 3 seconds.
 */
export async function POST(request: Request) {
  const config = slackConfigFromEnv();
  if (!config) return Response.json({ error: "The Slack app is not configured (SLACK_SIGNING_SECRET)" }, { status: 404 });
  if (Number(request.headers.get("content-length") ?? 0) > MAX_BODY_BYTES) {
    return Response.json({ error: "Request body too large" }, { status: 413 });
  }
  const rawBody = await request.text();
  if (Buffer.byteLength(rawBody) > MAX_BODY_BYTES) return Response.json({ error: "Request body too large" }, { status: 413 });
  const receipt = receiveSlackRequest(
    { rawBody, timestamp: request.headers.get("x-slack-request-timestamp"), signature: request.headers.get("x-slack-signature") },
    config,
  );
  const event = receipt.unfurl;
  // Slack retries an event it thinks timed out. This endpoint answers at once and unfurls after the
  // answer, so such a retry is a duplicate of one already being handled: acknowledge it without a
  // second chat.unfurl, and ask Slack not to retry again. Retries after an error are handled anew.
  if (event && request.headers.get("x-slack-retry-reason") === "http_timeout") {
    return Response.json(receipt.body, { status: receipt.status, headers: { "X-Slack-No-Retry": "1" } });
  }
  if (event) {
    // Without PUBLIC_URL, links to the host Slack called are ours (request.url may name the bind address).
    const host = request.headers.get("x-forwarded-host")?.split(",")[0]?.trim() || request.headers.get("host");
    const requestUrl = new URL(request.url);
    if (host) requestUrl.host = host;
    after(async () => {
      try {
        await unfurlLinks(await getDb(), event, config, { requestUrl });
      } catch (error) {
        console.error("[slack] unfurl failed:", error);
      }
    });
  }
  return Response.json(receipt.body, { status: receipt.status });
}
