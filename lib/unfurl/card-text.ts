import { cardKindLine, latestHealth, type AccountCard } from "@/lib/dal/account-card";
import { formatCurrency } from "@/lib/format";

/** One line for og:description and similar plain-text previews. */
export function cardDescription(card: AccountCard): string {
  const health = latestHealth(card);
  const parts = [
    cardKindLine(card),
    health ? `Health ${health.band}${health.score !== null ? ` (${Math.round(health.score)})` : ""}` : "No health yet",
    `ARR ${formatCurrency(card.arr)}${card.rolledUp ? " rolled up" : ""}`,
    card.stage ? `${card.stage.lifecycle}: ${card.stage.name}` : null,
    card.csms.length ? `CSM ${card.csms.join(", ")}` : null,
  ];
  return parts.filter(Boolean).join(" · ");
}
