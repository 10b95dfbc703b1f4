/**
 * Calls the app's server actions over HTTP the way the browser does (React's encodeReply of
 * `(previousState, formData)`: a multipart body whose field `0` is `[null,"$K1"]` and whose form
 * fields are prefixed `_1_` (React 19.3's reply format), with the action's id in the `Next-Action` header). The ids come from
 * the build's server-reference manifest, so the soak drives exactly what a user's click runs:
 * session, zod, authorization, transaction. Issue #19.
 */
import { readFileSync } from "node:fs";
import path from "node:path";

type Manifest = { node: Record<string, { filename?: string; exportedName?: string }> };

/** The action id of `exportName` in `file` (e.g. "app/(app)/accounts/[id]/actions.ts") in the build at `dir`. */
export function actionIds(dir = ".next"): (file: string, exportName: string) => string {
  const manifest = JSON.parse(readFileSync(path.join(dir, "server", "server-reference-manifest.json"), "utf8")) as Manifest;
  return (file, exportName) => {
    const found = Object.entries(manifest.node).find(([, v]) => v.filename === file && v.exportedName === exportName);
    if (!found) throw new Error(`no server action ${exportName} in ${file} in ${dir} (rebuild?)`);
    return found[0];
  };
}

export type ActionAnswer = { status: number; body: string; ok: boolean | null; redirect: string | null };

/** POSTs the action to `pagePath` (the page whose form calls it) with `fields` as its FormData. */
export async function callAction(base: string, pagePath: string, actionId: string, fields: Record<string, string>, cookie?: string): Promise<ActionAnswer> {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.append(`_1_${key}`, value);
  // The root last, as React writes it: the server streams the body and resolves the root's "$K1"
  // from the fields that came before it.
  form.set("0", JSON.stringify([null, "$K1"]));
  const res = await fetch(`${base}${pagePath}`, {
    method: "POST",
    headers: { "next-action": actionId, accept: "text/x-component", origin: base, ...(cookie ? { cookie } : {}) },
    body: form,
    redirect: "manual",
  });
  const body = await res.text();
  // The action's result is one row of the RSC stream: {"ok":true,...} or {"ok":false,"error":...}.
  const ok = /"ok":true/.test(body) ? true : /"ok":false/.test(body) ? false : null;
  return { status: res.status, body, ok, redirect: res.headers.get("x-action-redirect") };
}
