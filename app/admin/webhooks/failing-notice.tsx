import Link from "next/link";
import { may } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/dal/viewer";
import { failingEndpoints } from "@/lib/webhooks/endpoints";

/** On every admin page: endpoints the sender turned off after repeated failures (one small query). */
export async function FailingWebhooksNotice({ ctx }: { ctx: Ctx }) {
  if (!may(ctx.viewer, "webhooks.manage")) return null;
  const failing = await failingEndpoints(ctx);
  if (!failing.length) return null;
  return (
    <div role="alert" className="mb-4 rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-900">
      <p className="font-medium">
        {failing.length === 1 ? "A webhook endpoint was" : `${failing.length} webhook endpoints were`} turned off after repeated failed deliveries:
      </p>
      <ul className="mt-1 list-disc pl-5">
        {failing.map((e) => (
          <li key={e.id} className="break-all">
            <code>{e.url}</code>
          </li>
        ))}
      </ul>
      <p className="mt-1">
        Events are kept. Fix the receiver, then turn it back on in{" "}
        <Link href="/admin/webhooks" className="underline">
          Webhooks
        </Link>
        .
      </p>
    </div>
  );
}
