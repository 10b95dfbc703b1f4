import { createHmac, timingSafeEqual } from "node:crypto";

/*
 * Delivery signatures, like Stripe's: `C360-Signature: t=<unix seconds>,v1=<hex>` where the hex is
 * HMAC-SHA256(secret, "<t>.<raw body>"); during a secret rotation one v1 per valid secret. A
 * receiver recomputes it over the raw body, compares in constant time and refuses old timestamps.
 */

export const SIGNATURE_HEADER = "C360-Signature";
export const DELIVERY_HEADER = "C360-Delivery";
export const EVENT_HEADER = "C360-Event";

export function signatureOf(secret: string, timestamp: number, body: string): string {
  return createHmac("sha256", secret).update(`${timestamp}.${body}`, "utf8").digest("hex");
}

export function signatureHeader(secrets: string[], timestamp: number, body: string): string {
  return [`t=${timestamp}`, ...secrets.map((s) => `v1=${signatureOf(s, timestamp, body)}`)].join(",");
}

/** What a receiver does (exported for tests and as the reference for integrators). */
export function verifySignature(header: string | null, secret: string, body: string, toleranceSeconds = 300, now = Date.now()): boolean {
  if (!header) return false;
  const parts = header.split(",").map((p) => p.trim().split("="));
  const t = Number(parts.find(([k]) => k === "t")?.[1]);
  if (!Number.isInteger(t) || Math.abs(now / 1000 - t) > toleranceSeconds) return false;
  const expected = Buffer.from(signatureOf(secret, t, body), "hex");
  return parts.some(([k, v]) => {
    if (k !== "v1" || !v || v.length !== expected.length * 2) return false;
    return timingSafeEqual(Buffer.from(v, "hex"), expected);
  });
}

/** A new signing secret: 32 random bytes, shown once. */
export function newSigningSecret(): string {
  return `whsec_${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64url")}`;
}
