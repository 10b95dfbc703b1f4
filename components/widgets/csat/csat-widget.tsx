import { csatSummary } from "@/lib/dal/support";
import { formatNumber } from "@/lib/format";
import type { WidgetProps } from "../types";
import { WidgetCard } from "../widget-card";
import { Figure, RolledUpNote } from "../parts/shared";
import { Comments } from "../parts/survey-comments";

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
