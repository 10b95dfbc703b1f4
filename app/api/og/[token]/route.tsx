import { ImageResponse } from "next/og";
import { getDb } from "@/db";
import { cardKindLine, latestHealth, type AccountCard } from "@/lib/dal/account-card";
import { formatCurrency } from "@/lib/format";
import { shareSecret } from "@/lib/unfurl/secret";
import { sharedCard } from "@/lib/unfurl/share-card";
import { APP_NAME } from "@/lib/unfurl/slack-blocks";

export const dynamic = "force-dynamic";

const OG_SIZE = { width: 1200, height: 630 };

const BAND = {
  good: { fill: "#16a34a", label: "Good" },
  average: { fill: "#f59e0b", label: "Average" },
  poor: { fill: "#dc2626", label: "Poor" },
} as const;

/**
 * The Open Graph image of a share link (1200×630 PNG), drawn by next/og. Only for a valid, unexpired
 * share token: anything else is a 404 with no account data, the same for every reason.
 */
export async function GET(_request: Request, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const shared = await sharedCard(await getDb(), token, shareSecret());
  if (shared.status !== "ok") return Response.json({ error: "This preview link is not valid or has expired" }, { status: 404 });
  const maxAge = Math.max(0, Math.min(3600, Math.floor((shared.expiresAt.getTime() - Date.now()) / 1000)));
  return new ImageResponse(<OgCard card={shared.card} />, { ...OG_SIZE, headers: { "Cache-Control": `public, max-age=${maxAge}` } });
}

function OgCard({ card }: { card: AccountCard }) {
  const latest = latestHealth(card);
  return (
    <div style={{ width: "100%", height: "100%", display: "flex", flexDirection: "column", background: "#ffffff", padding: "56px 64px", fontSize: 28, color: "#0f172a" }}>
      <div style={{ display: "flex", color: "#2159bd", fontSize: 26, letterSpacing: 2 }}>{APP_NAME.toUpperCase()}</div>
      <div style={{ ...oneLine, fontSize: card.name.length > 32 ? 50 : 60, marginTop: 12, lineHeight: 1.15 }}>{card.name}</div>
      <div style={{ ...oneLine, fontSize: 28, color: "#475569", marginTop: 10 }}>{`${cardKindLine(card)} · level ${card.level}`}</div>

      <div style={{ display: "flex", flexDirection: "column", marginTop: 36 }}>
        <div style={{ display: "flex", fontSize: 24, color: "#64748b" }}>{`Health, last ${card.weeks.length} weeks`}</div>
        <div style={{ display: "flex", alignItems: "center", marginTop: 12 }}>
          {card.weeks.map((w) => (
            <div
              key={w.weekStart}
              style={{ width: 56, height: 56, marginRight: 10, borderRadius: 10, background: w.band ? BAND[w.band].fill : "#e2e8f0", display: "flex" }}
            />
          ))}
          <div style={{ display: "flex", marginLeft: 20, fontSize: 36 }}>
            {latest ? `${BAND[latest.band].label}${latest.score !== null ? ` ${Math.round(latest.score)}` : ""}` : "No health yet"}
          </div>
        </div>
      </div>

      <div style={{ display: "flex", marginTop: "auto", borderTop: "2px solid #e2e8f0", paddingTop: 28 }}>
        <Fact label={card.rolledUp ? "ARR (rolled up)" : "ARR"} value={formatCurrency(card.arr)} detail={`MRR ${formatCurrency(card.mrr)}`} />
        <Fact label={card.stage?.lifecycle ?? "Lifecycle"} value={card.stage?.name ?? "—"} />
        <Fact label="CSM" value={card.csms.length ? clip(card.csms.join(", "), 24) : "—"} />
      </div>
    </div>
  );
}

// A line cut with an ellipsis rather than wrapped: the image has a fixed height.
const oneLine = { display: "block", whiteSpace: "nowrap", overflow: "hidden", textOverflow: "ellipsis", maxWidth: 1072 } as const;

function Fact({ label, value, detail }: { label: string; value: string; detail?: string }) {
  return (
    <div style={{ display: "flex", flexDirection: "column", width: 360 }}>
      <div style={{ display: "flex", fontSize: 22, color: "#64748b" }}>{label}</div>
      <div style={{ display: "flex", fontSize: 40, marginTop: 4 }}>{value}</div>
      {detail ? <div style={{ display: "flex", fontSize: 22, color: "#475569", marginTop: 4 }}>{detail}</div> : null}
    </div>
  );
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
