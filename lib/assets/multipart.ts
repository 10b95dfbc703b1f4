import "server-only";
import { Readable } from "node:stream";
import type { ReadableStream as NodeWebReadableStream } from "node:stream/web";
import Busboy from "busboy";
import type { AccountSummary } from "@/lib/dal/accounts";
import type { Ctx } from "@/lib/dal/viewer";
import type { ObjectStorage } from "@/lib/storage";
import { storeUpload, type UploadResult } from "./upload";

/**
 * Reads a multipart/form-data request (one `file` part, an optional `name` field before it) as a
 * stream and hands the file part to storeUpload. Nothing is buffered but busboy's small window.
 */
export async function uploadFromRequest(request: Request, ctx: Ctx, account: AccountSummary, storage?: ObjectStorage): Promise<UploadResult> {
  const contentType = request.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data\b/i.test(contentType) || !request.body) {
    return { ok: false, status: 400, code: "bad_request", error: "Send the file as multipart/form-data with a “file” field" };
  }
  const declaredSize = Number(request.headers.get("content-length")) || null;
  let parser: Busboy.Busboy;
  try {
    parser = Busboy({
      headers: { "content-type": contentType },
      limits: { files: 1, fields: 4, fieldSize: 2048, parts: 6, headerPairs: 20 },
    });
  } catch {
    return { ok: false, status: 400, code: "bad_request", error: "The upload form was malformed" };
  }
  const body = Readable.fromWeb(request.body as unknown as NodeWebReadableStream<Uint8Array>);

  return new Promise<UploadResult>((resolve) => {
    const fields: Record<string, string> = {};
    let started = false;
    body.on("error", (error) => parser.destroy(error));
    parser.on("field", (name, value) => {
      if (name === "name") fields.name = value;
    });
    parser.on("file", (field, file, info) => {
      if (started || field !== "file") {
        file.resume(); // one file per request: anything else is dropped
        return;
      }
      started = true;
      storeUpload({
        ctx,
        account,
        filename: info.filename ?? "",
        declaredType: info.mimeType,
        name: fields.name,
        stream: file,
        declaredSize,
        storage,
        signal: request.signal,
      }).then(resolve);
    });
    parser.on("error", (error) => {
      if (!started) resolve({ ok: false, status: 400, code: "bad_request", error: `The upload form was malformed (${(error as Error).message})` });
      // Once a file has started, its stream fails too and storeUpload answers.
    });
    parser.on("close", () => {
      if (!started) resolve({ ok: false, status: 400, code: "bad_request", error: "Choose a file to upload" });
    });
    body.pipe(parser);
  });
}
