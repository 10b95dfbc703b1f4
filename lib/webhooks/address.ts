import "server-only";
import { lookup } from "node:dns/promises";
import type { LookupAddress } from "node:dns";
import { BlockList, isIP } from "node:net";
import { env } from "@/lib/env";

/*
 * Where a webhook may be sent. A webhook URL is typed by an admin but fetched by the server, so it
 * must not reach the server's own network (loopback, private ranges, link-local cloud metadata...):
 * https only, to public addresses only, checked when the endpoint is registered AND for the address
 * actually connected to at send time (a name may resolve elsewhere later). Hosts listed in
 * WEBHOOK_ALLOW_HOSTS (self-hosted receivers, tests on 127.0.0.1) skip both rules.
 */

const PRIVATE = new BlockList();
for (const [net, bits] of [
  ["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["127.0.0.0", 8], ["169.254.0.0", 16], ["172.16.0.0", 12],
  ["192.0.0.0", 24], ["192.0.2.0", 24], ["192.168.0.0", 16], ["198.18.0.0", 15], ["198.51.100.0", 24], ["203.0.113.0", 24],
  ["224.0.0.0", 4], ["240.0.0.0", 4],
] as const) PRIVATE.addSubnet(net, bits, "ipv4");
for (const [net, bits] of [["::", 128], ["::1", 128], ["fc00::", 7], ["fe80::", 10], ["ff00::", 8], ["64:ff9b::", 96], ["2001:db8::", 32]] as const) {
  PRIVATE.addSubnet(net, bits, "ipv6");
}

/** Whether an IP address is loopback, private, link-local, reserved or multicast. */
export function isPrivateAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, "");
  const mapped = bare.match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i);
  if (mapped) return PRIVATE.check(mapped[1], "ipv4");
  const family = isIP(bare);
  if (family === 4) return PRIVATE.check(bare, "ipv4");
  if (family === 6) return PRIVATE.check(bare, "ipv6");
  return true; // not an address at all: refuse
}

export function allowedHosts(source: string | undefined = env().WEBHOOK_ALLOW_HOSTS): Set<string> {
  return new Set((source ?? "").split(",").map((h) => h.trim().toLowerCase().replace(/^\[|\]$/g, "")).filter(Boolean));
}

function hostOf(url: URL): string {
  return url.hostname.toLowerCase().replace(/^\[|\]$/g, "");
}

export type UrlCheck = { ok: true; url: string } | { ok: false; message: string };

/** The registration check: the URL's form, then (for names) where it resolves now. */
export async function checkWebhookUrl(raw: string, resolve: (host: string) => Promise<LookupAddress[]> = (h) => lookup(h, { all: true })): Promise<UrlCheck> {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { ok: false, message: "Enter a full address, e.g. https://hooks.example.com/c360." };
  }
  if (url.username || url.password) return { ok: false, message: "Leave credentials out of the address; verify deliveries with the signing secret instead." };
  const host = hostOf(url);
  if (allowedHosts().has(host)) {
    if (url.protocol !== "https:" && url.protocol !== "http:") return { ok: false, message: "Use an https:// address." };
    return { ok: true, url: url.toString() };
  }
  if (url.protocol !== "https:") return { ok: false, message: "Use an https:// address: deliveries carry account data." };
  if (host === "localhost" || host.endsWith(".localhost") || host.endsWith(".local") || host.endsWith(".internal")) {
    return { ok: false, message: "That address is on a private network; webhooks go to public https addresses only." };
  }
  if (isIP(host)) {
    return isPrivateAddress(host) ? { ok: false, message: "That address is on a private network; webhooks go to public https addresses only." } : { ok: true, url: url.toString() };
  }
  let addresses: LookupAddress[];
  try {
    // Bounded: this runs inside the admin's write transaction.
    addresses = await Promise.race([resolve(host), new Promise<never>((_, reject) => setTimeout(() => reject(new Error("DNS timeout")), 5000).unref())]);
  } catch {
    return { ok: false, message: `The host ${host} could not be found: check the address.` };
  }
  if (!addresses.length || addresses.some((a) => isPrivateAddress(a.address))) {
    return { ok: false, message: "That host resolves to a private network address; webhooks go to public https addresses only." };
  }
  return { ok: true, url: url.toString() };
}

/**
 * A `lookup` for node's http(s).request that resolves the name and refuses a private address at
 * connect time, so the address checked is the address connected to (no DNS rebinding window).
 */
export function guardedLookup(allowed: Set<string>) {
  return (hostname: string, options: object, callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void) => {
    const host = hostname.toLowerCase().replace(/^\[|\]$/g, "");
    lookup(host, { all: true }).then(
      (addresses) => {
        const usable = allowed.has(host) ? addresses : addresses.filter((a) => allowed.has(a.address) || !isPrivateAddress(a.address));
        if (!usable.length) {
          const error = new Error(`${host} resolves to a private address; not sent`) as NodeJS.ErrnoException;
          error.code = "EPRIVATE";
          return callback(error, "", 0);
        }
        if ((options as { all?: boolean }).all) return callback(null, usable);
        callback(null, usable[0].address, usable[0].family);
      },
      (error: NodeJS.ErrnoException) => callback(error, "", 0),
    );
  };
}

/** Whether a URL may be sent to now, before connecting (IP literals do not go through `lookup`). */
export function sendableUrl(raw: string, allowed: Set<string>): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "The stored address is not a URL.";
  }
  const host = hostOf(url);
  if (allowed.has(host)) return null;
  if (url.protocol !== "https:") return "Only https addresses are sent to (this host is not in WEBHOOK_ALLOW_HOSTS).";
  if (isIP(host) && isPrivateAddress(host)) return "The address is on a private network; not sent.";
  return null;
}
