import "server-only";
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Executor } from "@/db/client";
import { users } from "@/db/schema";
import { accountCard } from "@/lib/dal/account-card";
import { loadViewer, type Ctx } from "@/lib/dal/viewer";
import { env } from "@/lib/env";
import { profileLinks } from "./links";
import { shareSecret } from "./secret";
import { readShareToken } from "./share-token";
import { accountUnfurl, genericUnfurl, type Unfurl } from "./slack-blocks";
import { verifySlackSignature } from "./slack-signature";

export type SlackConfig = {
  signingSecret: string;
  botToken: string;
  /** Web API base, e.g. https://slack.com/api (no trailing slash). */
  apiUrl: string;
  /** Email of the user whose scope decides what unfurls show; null: unfurls show only the app name. */
  unfurlAs: string | null;
  /** The app's public base URL: links to other hosts are not ours. Null: the host Slack called. */
  publicUrl: URL | null;
  /** Share links found in Slack are checked against this secret. */
  shareSecret: string;
};

/** The Slack app's configuration, or null when SLACK_SIGNING_SECRET is unset (the app is off). */
export function slackConfigFromEnv(): SlackConfig | null {
  const e = env();
  if (!e.SLACK_SIGNING_SECRET || !e.SLACK_BOT_TOKEN) return null;
  return {
    signingSecret: e.SLACK_SIGNING_SECRET,
    botToken: e.SLACK_BOT_TOKEN,
    apiUrl: e.SLACK_API_URL.replace(/\/+$/, ""),
    unfurlAs: e.SLACK_UNFURL_AS ?? null,
    publicUrl: e.PUBLIC_URL ? new URL(e.PUBLIC_URL) : null,
    shareSecret: shareSecret(),
  };
}

const linkSharedEvent = z.object({
  type: z.literal("link_shared"),
  channel: z.string().max(100).optional(),
  message_ts: z.string().max(100).optional(),
  unfurl_id: z.string().max(500).optional(),
  /** "composer" or "conversations_history" today; passed back to Slack as given. */
  source: z.string().max(100).optional(),
  links: z.array(z.object({ url: z.string().max(4000) })).max(50),
});
export type LinkSharedEvent = z.infer<typeof linkSharedEvent>;

const envelope = z.object({ type: z.string() }).loose();
const urlVerification = z.object({ type: z.literal("url_verification"), challenge: z.string().min(1).max(500) });
const eventCallback = z.object({ type: z.literal("event_callback"), event: z.object({ type: z.string() }).loose() });

export type SlackReceipt = {
  status: number;
  body: Record<string, unknown>;
  /** A link_shared event to unfurl after the response has gone. */
  unfurl?: LinkSharedEvent;
};

/**
 * What to answer one Events API request, decided from the raw body and Slack's headers alone (no
 * database: Slack wants an answer within 3 seconds). The signature is checked before anything is
 * parsed, url_verification included.
 */
export function receiveSlackRequest(
  request: { rawBody: string; timestamp: string | null; signature: string | null },
  config: Pick<SlackConfig, "signingSecret">,
  now: Date = new Date(),
): SlackReceipt {
  const check = verifySlackSignature({ signingSecret: config.signingSecret, ...request, now });
  if (!check.ok) return { status: 401, body: { error: `Invalid Slack request: ${check.reason}` } };
  let json: unknown;
  try {
    json = JSON.parse(request.rawBody);
  } catch {
    return { status: 400, body: { error: "The body is not JSON" } };
  }
  const parsed = envelope.safeParse(json);
  if (!parsed.success) return { status: 400, body: { error: "Not a Slack Events API payload" } };
  if (parsed.data.type === "url_verification") {
    const verification = urlVerification.safeParse(json);
    if (!verification.success) return { status: 400, body: { error: "Malformed url_verification" } };
    return { status: 200, body: { challenge: verification.data.challenge } };
  }
  const callback = eventCallback.safeParse(json);
  if (callback.success && callback.data.event.type === "link_shared") {
    const event = linkSharedEvent.safeParse(callback.data.event);
    if (!event.success) return { status: 400, body: { error: "Malformed link_shared event" } };
    return { status: 200, body: { ok: true }, unfurl: event.data };
  }
  // Other events and types are acknowledged and ignored, so Slack does not retry them.
  return { status: 200, body: { ok: true } };
}

export type UnfurlOutcome = {
  /** URLs given a card (or the generic card), in the order Slack listed them. */
  unfurled: string[];
  /** Whether chat.unfurl was called, and what Slack answered. */
  slack: { ok: boolean; error?: string } | null;
};

/**
 * Answers a link_shared event: builds a card for every link to an account of this app that the
 * SLACK_UNFURL_AS user may see (without privilege), and sends them in one chat.unfurl call. Links to
 * accounts outside that scope, missing or archived get no card at all (the same answer for each);
 * without SLACK_UNFURL_AS, or when that user is unknown or disabled, every account link gets the
 * generic card that names only the app. Nothing to unfurl: no call.
 */
export async function unfurlLinks(
  db: Executor,
  event: LinkSharedEvent,
  config: SlackConfig,
  options: { requestUrl: URL; now?: Date; fetch?: typeof fetch },
): Promise<UnfurlOutcome> {
  const now = options.now ?? new Date();
  const base = config.publicUrl ?? new URL("/", options.requestUrl);
  const links = profileLinks(
    event.links.map((l) => l.url),
    base,
    (token) => readShareToken(token, config.shareSecret, now)?.accountId ?? null,
  );
  if (!links.length) return { unfurled: [], slack: null };

  const ctx = config.unfurlAs ? await unfurlContext(db, config.unfurlAs) : null;
  if (config.unfurlAs && !ctx) console.warn(`[slack] SLACK_UNFURL_AS=${config.unfurlAs} is not an active user: unfurls show only the app name`);
  const unfurls: Record<string, Unfurl> = {};
  for (const link of links) {
    if (!ctx) {
      unfurls[link.url] = genericUnfurl(link.url);
      continue;
    }
    const card = await accountCard(ctx, link.accountId, now);
    if (card) unfurls[link.url] = accountUnfurl(card, link.url);
  }
  const unfurled = Object.keys(unfurls);
  if (!unfurled.length) return { unfurled, slack: null };

  const target = event.unfurl_id && event.source ? { unfurl_id: event.unfurl_id, source: event.source } : { channel: event.channel, ts: event.message_ts };
  const call = options.fetch ?? fetch;
  try {
    const response = await call(`${config.apiUrl}/chat.unfurl`, {
      method: "POST",
      headers: { "Content-Type": "application/json; charset=utf-8", Authorization: `Bearer ${config.botToken}` },
      body: JSON.stringify({ ...target, unfurls }),
      signal: AbortSignal.timeout(10_000),
    });
    const answer = (await response.json().catch(() => ({}))) as { ok?: boolean; error?: string };
    if (!response.ok || !answer.ok) {
      console.error(`[slack] chat.unfurl failed: HTTP ${response.status} ${answer.error ?? ""}`);
      return { unfurled, slack: { ok: false, error: answer.error ?? `HTTP ${response.status}` } };
    }
    return { unfurled, slack: { ok: true } };
  } catch (error) {
    console.error("[slack] chat.unfurl failed:", (error as Error).message);
    return { unfurled, slack: { ok: false, error: (error as Error).message } };
  }
}

async function unfurlContext(db: Executor, email: string): Promise<Ctx | null> {
  const [user] = await db
    .select({ id: users.id })
    .from(users)
    .where(eq(sql`lower(${users.email})`, email.toLowerCase()))
    .limit(1);
  const viewer = user ? await loadViewer(db, user.id) : null;
  return viewer ? { db, viewer } : null;
}
