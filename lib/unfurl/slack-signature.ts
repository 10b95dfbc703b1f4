import { createHmac, timingSafeEqual } from "node:crypto";

/** Slack refuses nothing older than this itself; we refuse older requests as possible replays. */
export const SLACK_MAX_AGE_SECONDS = 5 * 60;

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

/**
 * Slack's request signing (v0): `v0=` + hex HMAC-SHA-256, keyed by the app's signing secret, of
 * `v0:{X-Slack-Request-Timestamp}:{raw body}`. The raw body must be the exact bytes received, before
 * any parsing. A timestamp more than five minutes from now (either way) is refused.
 */
export function verifySlackSignature(input: {
  signingSecret: string;
  rawBody: string;
  timestamp: string | null;
  signature: string | null;
  now?: Date;
}): SignatureCheck {
  const { signingSecret, rawBody, timestamp, signature } = input;
  if (!timestamp || !/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: "missing or malformed X-Slack-Request-Timestamp" };
  const nowSeconds = Math.floor((input.now ?? new Date()).getTime() / 1000);
  if (Math.abs(nowSeconds - Number(timestamp)) > SLACK_MAX_AGE_SECONDS) return { ok: false, reason: "stale X-Slack-Request-Timestamp" };
  if (!signature || !/^v0=[0-9a-f]{64}$/.test(signature)) return { ok: false, reason: "missing or malformed X-Slack-Signature" };
  const expected = slackSignature(signingSecret, timestamp, rawBody);
  if (!timingSafeEqual(Buffer.from(signature), Buffer.from(expected))) return { ok: false, reason: "signature mismatch" };
  return { ok: true };
}

/** The signature Slack would send for this body at this timestamp (also used by tests). */
export function slackSignature(signingSecret: string, timestamp: string, rawBody: string): string {
  return `v0=${createHmac("sha256", signingSecret).update(`v0:${timestamp}:${rawBody}`).digest("hex")}`;
}
