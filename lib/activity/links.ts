import "server-only";
import { z } from "zod";
import { assets } from "@/db/schema";
import { actionDefinition } from "@/lib/actions/definition";
import { httpUrlField, idField, textField } from "@/lib/actions/fields";
import { accountForWrite, authorizeQuickAction } from "./permissions";
import { emitEvent } from "@/lib/events/emit";
import { prunedNote, recordTimeline } from "./timeline";

export const linkAssetInput = z.object({
  accountId: idField("Unknown account."),
  name: textField("a name", 200),
  url: httpUrlField,
});

/** Add a link asset (a document kept elsewhere) to the account, with its timeline entry. */
export const addLinkAsset = actionDefinition({
  name: "addLinkAsset",
  schema: linkAssetInput,
  authorize: (ctx, input) => authorizeQuickAction(ctx, input.accountId, "asset"),
  async run(ctx, input) {
    const account = await accountForWrite(ctx, input.accountId);
    const now = new Date();
    const url = new URL(input.url).toString();
    const [asset] = await ctx.db
      .insert(assets)
      .values({ accountId: account.id, kind: "link", name: input.name, url, uploadedBy: ctx.viewer.userId, createdAt: now })
      .returning({ id: assets.id });
    const timeline = await recordTimeline(ctx.db, [
      {
        accountId: account.id,
        kind: "asset",
        refId: asset.id,
        actorId: ctx.viewer.userId,
        title: `Asset added: ${input.name}`,
        snapshot: { name: input.name, kind: "link", url },
        occurredAt: now,
      },
    ]);
    await emitEvent(ctx.db, { type: "asset.added", accountId: account.id, actorId: ctx.viewer.userId, data: { assetId: asset.id, name: input.name } });
    return { id: asset.id, accountId: account.id, timeline };
  },
  revalidate: (input) => [`/accounts/${input.accountId}`],
  message: (data) => `Link added.${prunedNote(data.timeline)}`,
});
