import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { may } from "@/lib/auth/permissions";
import { requireContext } from "@/lib/dal/session";
import { formatDate } from "@/lib/format";
import { listHealthSchemes } from "@/lib/health/admin";
import { describeRule } from "@/lib/health/rules";
import { previewHealthSchemeAction, saveHealthSchemeAction } from "./actions";
import { RecomputeBar } from "./recompute-bar";
import { SchemeEditor } from "./scheme-editor";

export const metadata: Metadata = { title: "Health schemes" };

const EMPTY = { poorBelow: 40, goodFrom: 70, parentScoring: "none" as const, dimensions: [] };

export default async function HealthSchemesPage() {
  const ctx = await requireContext();
  if (!may(ctx.viewer, "health.manage")) notFound();
  const schemes = await listHealthSchemes(ctx);
  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold text-slate-900">Health schemes</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-700">
          Each account type has one scheme: dimensions with weights, each scoring a figure the product holds (usage, adoption, touchpoints,
          tickets, NPS or CSAT, renewal, an attribute) from its poor and good thresholds. The overall score is the weighted mean of the
          dimensions with data. Scores follow every change within seconds; saving a scheme keeps the old version, re-scores this week at
          once and recomputes the last 26 weeks in the background.
        </p>
      </div>
      {schemes.map((s) => (
        <section key={s.accountTypeId} aria-labelledby={`scheme-${s.accountTypeId}`} className="rounded-lg border border-slate-200 bg-white p-4" data-testid={`scheme-${s.typeName}`}>
          <h2 id={`scheme-${s.accountTypeId}`} className="text-lg font-semibold text-slate-900">
            {s.typeName}
            {s.scheme ? <span className="ml-2 text-sm font-normal text-slate-600">version {s.scheme.version}</span> : <span className="ml-2 text-sm font-normal text-slate-600">no scheme yet</span>}
          </h2>
          {s.scheme?.dimensions.length ? (
            <ul className="mt-1 list-disc pl-5 text-sm text-slate-700">
              {s.scheme.dimensions.map((d) => (
                <li key={d.key}>
                  <span className="font-medium">{d.label}</span> (weight {d.weight}): {describeRule(d.rule)}
                </li>
              ))}
            </ul>
          ) : null}
          {s.recompute ? <RecomputeBar progress={s.recompute} /> : null}
          <div className="mt-4">
            <SchemeEditor
              accountTypeId={s.accountTypeId}
              typeName={s.typeName}
              initial={s.scheme ? { poorBelow: s.scheme.poorBelow, goodFrom: s.scheme.goodFrom, parentScoring: s.scheme.parentScoring, dimensions: s.scheme.dimensions } : EMPTY}
              preview={previewHealthSchemeAction}
              save={saveHealthSchemeAction}
            />
          </div>
          {s.versions.length ? (
            <details className="mt-4 text-sm text-slate-700">
              <summary className="cursor-pointer font-medium text-slate-800">Versions ({s.versions.length})</summary>
              <ol className="mt-1 space-y-0.5">
                {s.versions.map((v) => (
                  <li key={v.version}>
                    Version {v.version}: {formatDate(v.createdAt)}
                    {v.createdBy ? ` by ${v.createdBy}` : ""}
                  </li>
                ))}
              </ol>
            </details>
          ) : null}
        </section>
      ))}
    </div>
  );
}
