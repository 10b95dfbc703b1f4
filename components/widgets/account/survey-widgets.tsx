import { csatSummary, npsSummary, type SurveyComment } from "@/lib/dal/support";
import { formatNumber, relativeTime } from "@/lib/format";
import type { WidgetProps } from "../types";
import { EmptyState, WidgetCard } from "../widget-card";
import { Figure, RolledUpNote } from "./shared";

function Comments({ comments, scale, onThisAccount }: { comments: SurveyComment[]; scale: string; onThisAccount: boolean }) {
  return (
    <div>
      <h3 className="text-xs font-medium text-slate-600">Latest comments{onThisAccount ? " on this account" : ""}</h3>
      {comments.length === 0 ? (
        <EmptyState>{onThisAccount ? "No comments on this account itself." : "No comments yet."}</EmptyState>
      ) : (
        <ul className="mt-1 space-y-2">
          {comments.map((c) => (
            <li key={c.id} className="text-sm">
              <blockquote className="text-slate-800">“{c.comment}”</blockquote>
              <p className="text-xs text-slate-600">
                {c.score}/{scale}
                {c.contactName ? ` · ${c.contactName}` : ""} · {relativeTime(c.respondedAt)}
              </p>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** NPS = % promoters (9–10) − % detractors (0–6), with response count and latest comments. */
export async function NpsWidget({ ctx, account, settings }: WidgetProps<{ title?: string }>) {
  const nps = await npsSummary(ctx, account);
  const rolled = nps.rolledUpFrom !== null;
  const tone = nps.score === null ? "text-slate-900" : nps.score >= 30 ? "text-green-800" : nps.score < 0 ? "text-red-700" : "text-amber-800";
  return (
    <WidgetCard title={settings.title ?? "NPS"} id="nps">
      <div className="space-y-3">
        {rolled ? <RolledUpNote descendants={nps.rolledUpFrom!} explain={{ accountId: account.id, metric: "nps" }} /> : null}
        <dl className="grid grid-cols-2 gap-3">
          <Figure
            label={rolled ? "NPS (rolled up)" : "NPS"}
            value={<span className={tone}>{nps.score === null ? "—" : nps.score > 0 ? `+${nps.score}` : nps.score}</span>}
            testId="nps-score"
          />
          <Figure label="Responses" value={formatNumber(nps.responses)} testId="nps-responses" />
        </dl>
        {nps.responses > 0 ? (
          <p className="text-xs text-slate-600">
            {nps.promoters} promoters · {nps.passives} passives · {nps.detractors} detractors
          </p>
        ) : null}
        <Comments comments={nps.comments} scale="10" onThisAccount={rolled} />
      </div>
    </WidgetCard>
  );
}

/** Average CSAT on a 1–5 scale with response count and latest comments. */
export async function CsatWidget({ ctx, account, settings }: WidgetProps<{ title?: string }>) {
  const csat = await csatSummary(ctx, account);
  const rolled = csat.rolledUpFrom !== null;
  return (
    <WidgetCard title={settings.title ?? "CSAT"} id="csat">
      <div className="space-y-3">
        {rolled ? <RolledUpNote descendants={csat.rolledUpFrom!} explain={{ accountId: account.id, metric: "csat" }} /> : null}
        <dl className="grid grid-cols-2 gap-3">
          <Figure
            label={rolled ? "Average CSAT (rolled up)" : "Average CSAT"}
            value={csat.average === null ? "—" : `${csat.average.toFixed(1)} / 5`}
            testId="csat-average"
          />
          <Figure label="Responses" value={formatNumber(csat.responses)} testId="csat-responses" />
        </dl>
        <Comments comments={csat.comments} scale="5" onThisAccount={rolled} />
      </div>
    </WidgetCard>
  );
}
