import { npsSummary } from "@/lib/dal/support";
import { formatNumber } from "@/lib/format";
import type { WidgetProps } from "../types";
import { WidgetCard } from "../widget-card";
import { Figure, RolledUpNote } from "../parts/shared";
import { Comments } from "../parts/survey-comments";

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
