const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type ProfileLink = { url: string; accountId: string };

/**
 * The links that point at an account of this app: same host (and port) as `base`, under its path,
 * `/accounts/<uuid>` with anything after it (a tab, a query), or `/share/<token>` when `shareAccount`
 * accepts the token. Each URL is kept exactly as given: Slack matches unfurls by the URL it sent.
 */
export function profileLinks(urls: string[], base: URL, shareAccount: (token: string) => string | null): ProfileLink[] {
  const prefix = base.pathname.replace(/\/+$/, "");
  const found: ProfileLink[] = [];
  for (const url of urls) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      continue;
    }
    if ((parsed.protocol !== "https:" && parsed.protocol !== "http:") || parsed.host.toLowerCase() !== base.host.toLowerCase()) continue;
    if (prefix && !parsed.pathname.startsWith(`${prefix}/`)) continue;
    const path = parsed.pathname.slice(prefix.length);
    const profile = /^\/accounts\/([^/]+)(?:\/.*)?$/.exec(path);
    if (profile && UUID.test(profile[1])) {
      found.push({ url, accountId: profile[1].toLowerCase() });
      continue;
    }
    const share = /^\/share\/([^/]+)\/?$/.exec(path);
    const accountId = share ? shareAccount(share[1]) : null;
    if (accountId) found.push({ url, accountId });
  }
  return found;
}
