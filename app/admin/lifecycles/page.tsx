import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { SectionCard } from "@/components/section-card";
import { may } from "@/lib/auth/permissions";
import { requireContext } from "@/lib/dal/session";
import { listLifecycles } from "@/lib/data-model/lifecycles";
import { AdminForm } from "../_components/admin-form";
import {
  addLifecycleStageAction,
  archiveLifecycleStageAction,
  createLifecycleAction,
  moveLifecycleStageAction,
  renameLifecycleAction,
  renameLifecycleStageAction,
} from "./actions";

export const metadata: Metadata = { title: "Lifecycles" };

export default async function LifecyclesPage() {
  const ctx = await requireContext();
  if (!may(ctx.viewer, "dataModel.manage")) notFound();
  const lifecycles = await listLifecycles(ctx);
  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold text-slate-900">Lifecycles</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-700">
          Ordered stages an account moves through (the customer journey, onboarding…). Archive a stage rather than removing it: accounts
          at it keep it and its history, and the Status widget shows it as archived.
        </p>
      </div>
      {lifecycles.map((l) => (
        <SectionCard
          key={l.id}
          id={`lifecycle-${l.id}`}
          testId={`lifecycle-${l.key}`}
          size="regular"
          flush
          title={
            <>
              {l.name} <span className="font-mono text-xs font-normal text-slate-600">{l.key}</span>
            </>
          }
          action={<AdminForm action={renameLifecycleAction} id={`rename-${l.id}`} compact hidden={{ lifecycleId: l.id }} submit="Rename" fields={[{ kind: "text", name: "name", label: "Name", value: l.name }]} />}
        >
          <ol className="divide-y divide-slate-100">
            {l.stages.map((s, i) => (
              <li key={s.id} className="flex flex-wrap items-end gap-3 px-4 py-2.5" data-testid={`stage-${l.key}-${s.key}`}>
                <span className="w-6 pb-2 text-sm text-slate-600 tabular-nums">{s.archived ? "–" : i + 1}.</span>
                <div className="min-w-72 flex-1">
                  <AdminForm
                    action={renameLifecycleStageAction}
                    id={`stage-${s.id}`}
                    compact
                    hidden={{ stageId: s.id }}
                    submit="Rename"
                    fields={[{ kind: "text", name: "name", label: `${s.key} · ${s.accounts} account${s.accounts === 1 ? "" : "s"}${s.archived ? " · archived" : ""}`, value: s.name }]}
                  />
                </div>
                {s.archived ? null : (
                  <>
                    <AdminForm action={moveLifecycleStageAction} id={`up-${s.id}`} compact hidden={{ stageId: s.id, direction: "up" }} submit="Move up" fields={[]} />
                    <AdminForm action={moveLifecycleStageAction} id={`down-${s.id}`} compact hidden={{ stageId: s.id, direction: "down" }} submit="Move down" fields={[]} />
                  </>
                )}
                <AdminForm
                  action={archiveLifecycleStageAction}
                  id={`archive-${s.id}`}
                  compact
                  hidden={{ stageId: s.id, archived: s.archived ? "false" : "true" }}
                  submit={s.archived ? "Restore" : "Archive"}
                  fields={[]}
                />
              </li>
            ))}
          </ol>
          <div className="border-t border-slate-100 px-4 py-3">
            <AdminForm
              action={addLifecycleStageAction}
              id={`add-stage-${l.id}`}
              compact
              hidden={{ lifecycleId: l.id }}
              submit="Add stage"
              fields={[
                { kind: "text", name: "name", label: "New stage", placeholder: "Adoption" },
                { kind: "text", name: "key", label: "Key", placeholder: "adoption" },
              ]}
            />
          </div>
        </SectionCard>
      ))}
      <SectionCard id="new-lifecycle-heading" title="New lifecycle" size="regular">
        <AdminForm
          action={createLifecycleAction}
          id="new-lifecycle"
          compact
          submit="Create lifecycle"
          fields={[
            { kind: "text", name: "name", label: "Name", placeholder: "Onboarding" },
            { kind: "text", name: "key", label: "Key", placeholder: "onboarding" },
          ]}
        />
      </SectionCard>
    </div>
  );
}
