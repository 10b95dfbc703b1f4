import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { SectionCard } from "@/components/section-card";
import { may } from "@/lib/auth/permissions";
import { requireContext } from "@/lib/dal/session";
import { listPlaybooks, PRIORITIES } from "@/lib/data-model/playbooks";
import { AdminForm } from "../_components/admin-form";
import {
  addPlaybookStepAction,
  createPlaybookAction,
  deletePlaybookAction,
  movePlaybookStepAction,
  removePlaybookStepAction,
  updatePlaybookAction,
  updatePlaybookStepAction,
} from "./actions";

export const metadata: Metadata = { title: "SuccessPlays" };

const priorityOptions = PRIORITIES.map((p) => ({ value: p, label: p[0].toUpperCase() + p.slice(1) }));

export default async function SuccessPlaysPage() {
  const ctx = await requireContext();
  if (!may(ctx.viewer, "dataModel.manage")) notFound();
  const plays = await listPlaybooks(ctx);
  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold text-slate-900">SuccessPlays</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-700">
          Templates of tasks applied to an account in one go: each step becomes a task due its offset in days after the day it is applied,
          assigned to whoever applies it. Deleting a SuccessPlay or a step leaves the tasks it already created on their accounts.
        </p>
      </div>
      {plays.map((p) => (
        <SectionCard
          key={p.id}
          id={`play-${p.id}`}
          testId={`successplay-${p.id}`}
          size="regular"
          flush
          title={
            <>
              {p.name}{" "}
              <span className="text-xs font-normal text-slate-600">
                {p.steps.length} step{p.steps.length === 1 ? "" : "s"} · {p.tasks} task{p.tasks === 1 ? "" : "s"} created so far
              </span>
            </>
          }
          action={
            <div className="flex flex-wrap items-end gap-3">
              <AdminForm
                action={updatePlaybookAction}
                id={`update-${p.id}`}
                compact
                hidden={{ playbookId: p.id }}
                submit="Save"
                fields={[
                  { kind: "text", name: "name", label: "Name", value: p.name },
                  { kind: "text", name: "description", label: "Description", value: p.description ?? "", wide: true },
                ]}
              />
              <AdminForm action={deletePlaybookAction} id={`delete-${p.id}`} compact hidden={{ playbookId: p.id }} submit="Delete SuccessPlay" fields={[]} />
            </div>
          }
        >
          <ol className="divide-y divide-slate-100">
            {p.steps.map((s, i) => (
              <li key={s.id} className="flex flex-wrap items-end gap-3 px-4 py-2.5">
                <span className="w-6 pb-2 text-sm text-slate-600 tabular-nums">{i + 1}.</span>
                <div className="min-w-72 flex-1">
                  <AdminForm
                    action={updatePlaybookStepAction}
                    id={`step-${s.id}`}
                    compact
                    hidden={{ stepId: s.id }}
                    submit="Save"
                    fields={[
                      { kind: "text", name: "title", label: "Task", value: s.title },
                      { kind: "number", name: "offsetDays", label: "Due after (days)", value: String(s.offsetDays) },
                      { kind: "select", name: "priority", label: "Priority", value: s.priority, options: priorityOptions },
                    ]}
                  />
                </div>
                <AdminForm action={movePlaybookStepAction} id={`up-${s.id}`} compact hidden={{ stepId: s.id, direction: "up" }} submit="Move up" fields={[]} />
                <AdminForm action={movePlaybookStepAction} id={`down-${s.id}`} compact hidden={{ stepId: s.id, direction: "down" }} submit="Move down" fields={[]} />
                <AdminForm action={removePlaybookStepAction} id={`remove-${s.id}`} compact hidden={{ stepId: s.id }} submit="Remove" fields={[]} />
              </li>
            ))}
          </ol>
          <div className="border-t border-slate-100 px-4 py-3">
            <AdminForm
              action={addPlaybookStepAction}
              id={`add-step-${p.id}`}
              compact
              hidden={{ playbookId: p.id }}
              submit="Add step"
              fields={[
                { kind: "text", name: "title", label: "New step", placeholder: "Schedule the kickoff call" },
                { kind: "number", name: "offsetDays", label: "Due after (days)", value: "0" },
                { kind: "select", name: "priority", label: "Priority", value: "medium", options: priorityOptions },
              ]}
            />
          </div>
        </SectionCard>
      ))}
      <SectionCard id="new-play-heading" title="New SuccessPlay" size="regular">
        <AdminForm
          action={createPlaybookAction}
          id="new-successplay"
          compact
          submit="Create SuccessPlay"
          fields={[
            { kind: "text", name: "name", label: "Name", placeholder: "Renewal prep" },
            { kind: "text", name: "description", label: "Description", placeholder: "What it is for", wide: true },
          ]}
        />
      </SectionCard>
    </div>
  );
}
