/**
 * The one rule for "a web address we may link to or embed": it parses as an absolute URL, its scheme is
 * http or https, and it has a host. (The stricter of the two former copies: the other accepted any
 * http(s) parse without asking for a host. Node's WHATWG parser already refuses an empty host for http(s),
 * so the host check costs nothing and keeps the rule true where a parser is more lenient.)
 */
export function httpUrl(value: unknown): string | null {
  if (typeof value !== "string" || !value) return null;
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname ? url.toString() : null;
  } catch {
    return null;
  }
}

export function isHttpUrl(value: unknown): boolean {
  return httpUrl(value) !== null;
}
