import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Share tokens: short-lived, signed capabilities for one account's card, made by a signed-in user with
 * "Copy share link" and read by the /share page and the Open Graph image route. A token names the
 * account, the user who shared it (the card is built within their scope, so a user who loses access or
 * is disabled stops their links working) and an expiry; an HMAC-SHA-256 keyed by a key derived from
 * AUTH_SECRET covers all three. Layout (53 bytes, base64url, 71 characters):
 *
 *   version (1) | account uuid (16) | user uuid (16) | expiry, unix seconds (4) | HMAC, truncated (16)
 */
const VERSION = 1;
const PAYLOAD_BYTES = 1 + 16 + 16 + 4;
const MAC_BYTES = 16;
export const SHARE_LINK_DAYS = 7;

export type SharePayload = { accountId: string; userId: string; expiresAt: Date };
export type ShareToken = SharePayload & { expired: boolean };

/** A key for share links only, so AUTH_SECRET itself signs nothing but sessions. */
function shareKey(secret: string): Buffer {
  return createHmac("sha256", secret).update("customer-360/share-links/v1").digest();
}

function mac(secret: string, payload: Buffer): Buffer {
  return createHmac("sha256", shareKey(secret)).update(payload).digest().subarray(0, MAC_BYTES);
}

function uuidBytes(uuid: string): Buffer {
  const hex = uuid.replace(/-/g, "");
  if (!/^[0-9a-f]{32}$/i.test(hex)) throw new Error("not a uuid");
  return Buffer.from(hex, "hex");
}

function uuidString(bytes: Buffer): string {
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function shareExpiry(now: Date = new Date(), days = SHARE_LINK_DAYS): Date {
  return new Date(Math.floor(now.getTime() / 1000) * 1000 + days * 86_400_000);
}

export function signShareToken(payload: SharePayload, secret: string): string {
  const body = Buffer.alloc(PAYLOAD_BYTES);
  body.writeUInt8(VERSION, 0);
  uuidBytes(payload.accountId).copy(body, 1);
  uuidBytes(payload.userId).copy(body, 17);
  body.writeUInt32BE(Math.floor(payload.expiresAt.getTime() / 1000), 33);
  return Buffer.concat([body, mac(secret, body)]).toString("base64url");
}

/**
 * The token's contents when its signature is right (expired or not: `expired` says); null for
 * anything malformed, tampered with or signed with another secret.
 */
export function readShareToken(token: unknown, secret: string, now: Date = new Date()): ShareToken | null {
  if (typeof token !== "string" || !/^[A-Za-z0-9_-]{71}$/.test(token)) return null;
  const bytes = Buffer.from(token, "base64url");
  // Only the canonical spelling: base64 leaves spare bits in the last character.
  if (bytes.length !== PAYLOAD_BYTES + MAC_BYTES || bytes.toString("base64url") !== token || bytes.readUInt8(0) !== VERSION) return null;
  const body = bytes.subarray(0, PAYLOAD_BYTES);
  if (!timingSafeEqual(bytes.subarray(PAYLOAD_BYTES), mac(secret, body))) return null;
  const expiresAt = new Date(body.readUInt32BE(33) * 1000);
  return {
    accountId: uuidString(body.subarray(1, 17)),
    userId: uuidString(body.subarray(17, 33)),
    expiresAt,
    expired: expiresAt.getTime() <= now.getTime(),
  };
}
