import "server-only";

export type MailNotice = { title: string; body: string; href: string; createdAt: Date };
export type RenderedMail = { subject: string; text: string; html: string };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

function link(base: string | null, href: string): string {
  return base ? `${base}${href}` : href;
}

/** One notification (instant) or several (digest) as a plain-text and a simple HTML mail. */
export function renderMail(kind: "instant" | "digest", notices: readonly MailNotice[], base: string | null): RenderedMail {
  const subject = kind === "instant" ? notices[0].title : `Customer 360 daily digest: ${notices.length} update${notices.length === 1 ? "" : "s"}`;
  const lines = notices.map((n) => [n.title, n.body, link(base, n.href)].filter(Boolean).join("\n"));
  const footer = "You receive this because you follow these accounts or were mentioned. Change how you get notifications: " + link(base, "/notifications/settings");
  const text = `${lines.join("\n\n")}\n\n--\n${footer}\n`;
  const html = `<!doctype html><html><body style="font-family:sans-serif;color:#0f172a">${notices
    .map(
      (n) =>
        `<div style="margin:0 0 16px"><p style="margin:0;font-weight:600"><a href="${escapeHtml(link(base, n.href))}">${escapeHtml(n.title)}</a></p>${
          n.body ? `<p style="margin:4px 0 0">${escapeHtml(n.body)}</p>` : ""
        }</div>`,
    )
    .join("")}<hr><p style="font-size:12px;color:#475569">${escapeHtml(footer)}</p></body></html>`;
  return { subject, text, html };
}
