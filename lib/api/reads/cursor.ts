import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import { DEMO_AUTH_SECRET, env } from "@/lib/env";

/*
 * Opaque list cursors: the keyset position (the last row's order key) and a binding, signed with
 * HMAC-SHA256 under AUTH_SECRET. The binding names the list, its filters and the token, so a cursor
 * cannot be edited, moved to another list or filter, or used by another token: each is a 400.
 */

function secret(): string {
  return env().AUTH_SECRET ?? DEMO_AUTH_SECRET;
}

function sign(payload: string, binding: string): string {
  return createHmac("sha256", secret()).update(`api-cursor\n${binding}\n${payload}`).digest("base64url");
}

export function encodeCursor(binding: string, key: string[]): string {
  const payload = Buffer.from(JSON.stringify(key)).toString("base64url");
  return `${payload}.${sign(payload, binding)}`;
}

/** The key inside a cursor made for this binding, or null for anything else. */
export function decodeCursor(binding: string, cursor: string): string[] | null {
  const match = /^([A-Za-z0-9_-]{1,4000})\.([A-Za-z0-9_-]{43})$/.exec(cursor);
  if (!match) return null;
  const expected = Buffer.from(sign(match[1], binding));
  const given = Buffer.from(match[2]);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  try {
    const key = JSON.parse(Buffer.from(match[1], "base64url").toString("utf8"));
    return Array.isArray(key) && key.every((k) => typeof k === "string") ? key : null;
  } catch {
    return null;
  }
}
