import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ScrollRegion } from "@/components/scroll-region";
import { may } from "@/lib/auth/permissions";
import { requireContext } from "@/lib/dal/session";
import { listWebhookEndpoints } from "@/lib/webhooks/endpoints";
import { WEBHOOK_EVENTS } from "@/lib/webhooks/event-types";
import { recentDeliveries } from "@/lib/webhooks/log";
import { CreateEndpointForm, EndpointControls } from "./webhook-forms";

export const metadata: Metadata = { title: "Webhooks" };

const when = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", second: "2-digit", timeZone: "UTC" });
const eventLabel = new Map<string, string>(WEBHOOK_EVENTS.map((e) => [e.type, e.label]));
const STATUS_STYLE = { delivered: "bg-green-100 text-green-900", pending: "bg-amber-100 text-amber-900", failed: "bg-red-100 text-red-900" } as const;

export default async function WebhooksPage() {
  const ctx = await requireContext();
  if (!may(ctx.viewer, "webhooks.manage")) notFound();
  const [endpoints, deliveries] = await Promise.all([listWebhookEndpoints(ctx), recentDeliveries(ctx)]);

  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold text-slate-900">Webhooks</h1>
        <p className="mt-1 max-w-3xl text-sm text-slate-700">
          Each event is POSTed as JSON to the endpoints subscribed to it, signed with the endpoint&apos;s secret (<code>C360-Signature: t=…,v1=…</code>, HMAC-SHA256
          of <code>timestamp.body</code>) and named by a <code>C360-Delivery</code> id to deduplicate retries. A failed delivery is retried with growing pauses;
          an endpoint failing many times in a row is turned off and admins are told.
        </p>
      </div>

      <section aria-labelledby="endpoints-heading" className="rounded-lg border border-slate-200 bg-white">
        <h2 id="endpoints-heading" className="border-b border-slate-100 px-4 py-2.5 text-sm font-semibold text-slate-800">
          {endpoints.length} endpoint{endpoints.length === 1 ? "" : "s"}
        </h2>
        {endpoints.length ? (
          <ul className="divide-y divide-slate-100">
            {endpoints.map((e) => (
              <li key={e.id} className="grid gap-3 px-4 py-3 text-sm md:grid-cols-[minmax(0,1fr)_auto]">
                <div className="min-w-0">
                  <div className="flex flex-wrap items-center gap-2">
                    <code className="break-all font-medium text-slate-900">{e.url}</code>
                    {e.disabledAt ? (
                      <span className="rounded bg-red-100 px-1.5 py-0.5 text-xs font-medium text-red-900">
                        {e.disabledReason === "failures" ? `Off after ${e.consecutiveFailures} failures` : "Paused"}
                      </span>
                    ) : (
                      <span className="rounded bg-green-100 px-1.5 py-0.5 text-xs font-medium text-green-900">On</span>
                    )}
                    {e.rotating ? <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-800">Old secret still signing</span> : null}
                  </div>
                  {e.description ? <p className="text-xs text-slate-700">{e.description}</p> : null}
                  <p className="mt-1 text-xs text-slate-700">{e.eventTypes.map((t) => eventLabel.get(t) ?? t).join(" · ")}</p>
                  {!e.disabledAt && e.consecutiveFailures ? (
                    <p className="mt-1 text-xs text-amber-900">{e.consecutiveFailures} failed attempt{e.consecutiveFailures === 1 ? "" : "s"} in a row</p>
                  ) : null}
                </div>
                <EndpointControls endpointId={e.id} url={e.url} enabled={!e.disabledAt} />
              </li>
            ))}
          </ul>
        ) : (
          <p className="px-4 py-3 text-sm text-slate-700">No endpoints yet.</p>
        )}
      </section>

      <section aria-labelledby="deliveries-heading" className="rounded-lg border border-slate-200 bg-white">
        <h2 id="deliveries-heading" className="border-b border-slate-100 px-4 py-2.5 text-sm font-semibold text-slate-800">
          Delivery log <span className="font-normal text-slate-600">(newest {deliveries.length})</span>
        </h2>
        {deliveries.length ? (
          <ScrollRegion label="Delivery log">
            <table className="w-full text-sm">
              <thead className="bg-slate-50 text-left text-xs text-slate-700">
                <tr>
                  <th scope="col" className="px-4 py-2 font-medium">Event</th>
                  <th scope="col" className="px-4 py-2 font-medium">Status</th>
                  <th scope="col" className="px-4 py-2 font-medium">Last attempts</th>
                  <th scope="col" className="px-4 py-2 font-medium">Last response</th>
                </tr>
              </thead>
              <tbody>
                {deliveries.map((d) => (
                  <tr key={d.id} className="border-t border-slate-100 align-top">
                    <td className="px-4 py-2 text-xs">
                      <div className="font-medium text-slate-900">{d.eventType}</div>
                      <div className="break-all text-slate-600">{d.url}</div>
                      <div className="text-slate-600">
                        {when.format(d.createdAt)} UTC · <code title="C360-Delivery">{d.id.slice(0, 8)}</code>
                      </div>
                    </td>
                    <td className="px-4 py-2 text-xs">
                      <span className={`rounded px-1.5 py-0.5 font-medium ${STATUS_STYLE[d.status]}`}>{d.status}</span>
                      <div className="mt-1 text-slate-700">
                        {d.attempts} attempt{d.attempts === 1 ? "" : "s"}
                        {d.status === "pending" && d.attempts ? `; next ${when.format(d.nextAttemptAt)} UTC` : ""}
                      </div>
                    </td>
                    <td className="px-4 py-2 text-xs">
                      <ul>
                        {d.recent.map((a, i) => (
                          <li key={i} className={a.ok ? "text-green-900" : "text-red-800"}>
                            {when.format(a.at)} · {a.statusCode ? `HTTP ${a.statusCode}` : (a.error ?? "no answer")} · {a.durationMs} ms
                          </li>
                        ))}
                      </ul>
                    </td>
                    <td className="max-w-xs px-4 py-2 text-xs">
                      <code className="line-clamp-3 break-all text-slate-700">{d.lastError ?? d.lastResponse ?? "—"}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        ) : (
          <p className="px-4 py-3 text-sm text-slate-700">Nothing sent yet.</p>
        )}
      </section>

      <section aria-labelledby="new-endpoint-heading" className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="new-endpoint-heading" className="mb-3 text-base font-semibold text-slate-900">
          New endpoint
        </h2>
        <CreateEndpointForm />
      </section>
    </div>
  );
}
