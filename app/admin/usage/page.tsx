import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { may } from "@/lib/auth/permissions";
import { requireContext } from "@/lib/dal/session";
import { listUsageModel } from "@/lib/data-model/usage";
import { formatNumber } from "@/lib/format";
import { AdminForm } from "../_components/admin-form";
import { ADOPTION_DEFINITION } from "@/lib/success-units/compute";
import { thresholdsByModule } from "@/lib/success-units/thresholds";
import { mergeUsageActivitiesAction, moveUsageActivityAction, setSuccessUnitThresholdsAction, updateUsageActivityAction, updateUsageModuleAction } from "./actions";

export const metadata: Metadata = { title: "Usage modules and activities" };

export default async function UsageModelPage() {
  const ctx = await requireContext();
  if (!may(ctx.viewer, "dataModel.manage")) notFound();
  const [modules, thresholds] = await Promise.all([listUsageModel(ctx), thresholdsByModule(ctx)]);
  const moduleOptions = modules.map((m) => ({ value: m.id, label: m.name }));
  const activityOptions = modules.flatMap((m) => m.activities.map((a) => ({ value: a.id, label: `${a.name} (${m.name})` })));

  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold text-slate-900">Usage modules and activities</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-700">
          Modules are the product&apos;s large features, activities the actions inside them. The API and CSV import create a module or
          activity the first time an event names it; here you rename them, hide them from the usage widgets, move an activity to
          another module, or merge two activities (the usage history moves to the one you keep, and the old name keeps counting on it).
        </p>
        <p className="mt-2 max-w-3xl text-sm text-slate-700">
          <strong>Success units</strong> (the traffic lights on profiles): set a module&apos;s thresholds to rate it. {ADOPTION_DEFINITION}
        </p>
      </div>
      {modules.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-sm text-slate-700">
          No usage yet. Send events to <code className="font-mono">POST /api/v1/usage-events</code> or import a usage CSV: each module and
          activity they name appears here.
        </p>
      ) : null}
      {modules.map((m) => (
        <section key={m.id} aria-labelledby={`module-${m.id}`} className="rounded-lg border border-slate-200 bg-white">
          <div className="border-b border-slate-100 px-4 py-3">
            <h2 id={`module-${m.id}`} className="text-lg font-semibold text-slate-900">
              {m.name} <span className="font-mono text-xs font-normal text-slate-600">{m.key}</span>
              {m.hidden ? <span className="ml-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs font-medium text-slate-700">Hidden</span> : null}
            </h2>
            <div className="mt-2">
              <AdminForm
                action={updateUsageModuleAction}
                id={`module-${m.id}`}
                compact
                hidden={{ moduleId: m.id }}
                submit="Save module"
                fields={[
                  { kind: "text", name: "name", label: "Name", value: m.name },
                  { kind: "text", name: "position", label: "Order", value: String(m.position) },
                  { kind: "checkbox", name: "hidden", label: "Hide from usage widgets", checked: m.hidden },
                ]}
              />
            </div>
            <div className="mt-3" data-testid={`thresholds-${m.key}`}>
              <p className="text-xs font-medium text-slate-700">Success unit: active users in 30 days (clear both to stop rating)</p>
              <AdminForm
                action={setSuccessUnitThresholdsAction}
                id={`thresholds-${m.id}`}
                compact
                hidden={{ moduleId: m.id }}
                submit="Save thresholds"
                fields={[
                  { kind: "text", name: "amberMin", label: "Amber from", value: String(thresholds.get(m.id)?.amberMin ?? "") },
                  { kind: "text", name: "greenMin", label: "Green from", value: String(thresholds.get(m.id)?.greenMin ?? "") },
                ]}
              />
            </div>
          </div>
          {m.activities.length === 0 ? (
            <p className="px-4 py-3 text-sm text-slate-600">No activities.</p>
          ) : (
            <ul className="divide-y divide-slate-100">
              {m.activities.map((a) => (
                <li key={a.id} className="space-y-2 px-4 py-3" data-testid={`activity-${m.key}-${a.key}`}>
                  <p className="text-sm font-medium text-slate-900">
                    {a.name} <span className="font-mono text-xs font-normal text-slate-600">{a.key}</span>
                    <span className="ml-2 text-xs text-slate-600">{formatNumber(a.events)} events</span>
                    {a.hidden ? <span className="ml-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs font-medium text-slate-700">Hidden</span> : null}
                    {a.aliases.length ? <span className="ml-2 text-xs text-slate-600">also counts: {a.aliases.join(", ")}</span> : null}
                  </p>
                  <div className="grid gap-3 lg:grid-cols-3">
                    <AdminForm
                      action={updateUsageActivityAction}
                      id={`activity-${a.id}`}
                      compact
                      hidden={{ activityId: a.id }}
                      submit="Save"
                      fields={[
                        { kind: "text", name: "name", label: "Name", value: a.name },
                        { kind: "checkbox", name: "hidden", label: "Hidden", checked: a.hidden },
                      ]}
                    />
                    <AdminForm
                      action={moveUsageActivityAction}
                      id={`move-${a.id}`}
                      compact
                      hidden={{ activityId: a.id }}
                      submit="Move"
                      fields={[{ kind: "select", name: "moduleId", label: "Module", value: m.id, options: moduleOptions }]}
                    />
                    <AdminForm
                      action={mergeUsageActivitiesAction}
                      id={`merge-${a.id}`}
                      compact
                      hidden={{ activityId: a.id }}
                      submit="Merge"
                      confirm={`Merge “${a.name}” into the chosen activity? Its usage history moves there and it goes away.`}
                      fields={[
                        {
                          kind: "select",
                          name: "keptId",
                          label: "Merge into",
                          value: "",
                          options: [{ value: "", label: "Choose…" }, ...activityOptions.filter((o) => o.value !== a.id)],
                        },
                      ]}
                    />
                  </div>
                </li>
              ))}
            </ul>
          )}
        </section>
      ))}
    </div>
  );
}
