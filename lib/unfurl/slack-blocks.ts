import { cardKindLine, latestHealth, type AccountCard } from "@/lib/dal/account-card";
import { formatCurrency } from "@/lib/format";

export const APP_NAME = "Customer 360";

/** Block Kit JSON, loosely typed: Slack validates it. */
export type Block = Record<string, unknown>;
export type Unfurl = { blocks: Block[] };

const SQUARE = { good: ":large_green_square:", average: ":large_yellow_square:", poor: ":large_red_square:" } as const;
const MISSING = ":white_large_square:";

/** Slack's mrkdwn treats only these three as control characters. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** A link target inside `<url|label>`: `|` and `>` would end it early. */
function linkTarget(url: string): string {
  return url.replace(/\|/g, "%7C").replace(/>/g, "%3E").replace(/</g, "%3C");
}

/** The unfurl of one account: what `accountCard` holds, nothing else. */
export function accountUnfurl(card: AccountCard, url: string): Unfurl {
  const latest = latestHealth(card);
  const squares = card.weeks.map((w) => (w.band ? SQUARE[w.band] : MISSING)).join("");
  const healthText = latest ? `${squares}\n${capitalise(latest.band)}${latest.score !== null ? ` (${Math.round(latest.score)})` : ""}` : `${squares}\nNo health yet`;
  const revenueNote = card.rolledUp ? " · rolled up" : "";
  return {
    blocks: [
      {
        type: "section",
        text: { type: "mrkdwn", text: `*<${linkTarget(url)}|${escapeMrkdwn(card.name)}>*\n${escapeMrkdwn(cardKindLine(card))} · level ${card.level}` },
      },
      {
        type: "section",
        fields: [
          { type: "mrkdwn", text: `*Health, last ${card.weeks.length} weeks*\n${healthText}` },
          { type: "mrkdwn", text: `*ARR*\n${formatCurrency(card.arr)} (MRR ${formatCurrency(card.mrr)})${revenueNote}` },
          { type: "mrkdwn", text: `*${escapeMrkdwn(card.stage?.lifecycle ?? "Lifecycle")}*\n${escapeMrkdwn(card.stage?.name ?? "—")}` },
          { type: "mrkdwn", text: `*CSM*\n${card.csms.length ? escapeMrkdwn(card.csms.join(", ")) : "—"}` },
        ],
      },
      { type: "context", elements: [{ type: "mrkdwn", text: `${APP_NAME} · sign in to see the full profile` }] },
    ],
  };
}

/** For set-ups without SLACK_UNFURL_AS: the app's name and nothing about the account. */
export function genericUnfurl(url: string): Unfurl {
  return {
    blocks: [
      {
        type: "section",
        text: { type: "mrkdwn", text: `*${APP_NAME}* · <${linkTarget(url)}|Open this account> (sign in to see it)` },
      },
    ],
  };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
