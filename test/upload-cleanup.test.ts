/**
 * No object without an asset row when storage fails mid-upload (issue 19): the upload intent and
 * the "upload-cleanup" worker (lib/assets/upload-intents.ts), on both drivers, against a real
 * s3rver that is stopped and started again, and a loopback TCP relay in front of it that lets S3
 * store an object and then cuts the connection before its answer (the fault the soak found).
 */
import net from "node:net";
import { Readable } from "node:stream";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "@/db/client";
import { uploadIntents, users } from "@/db/schema";
import {
  abandonUpload,
  cleanUpAbandonedUploads,
  completeUploadIntent,
  recordUploadIntent,
  UPLOAD_INTENT_GRACE_MS,
} from "@/lib/assets/upload-intents";
import { storeUpload } from "@/lib/assets/upload";
import { findAccount } from "@/lib/dal/accounts";
import { loadViewer } from "@/lib/dal/viewer";
import { createS3Client, s3Storage, type ObjectStorage } from "@/lib/storage";
import { drivers, openSeededDatabase } from "./support/databases";
import { startS3Server, type S3Server } from "./support/ops-stack";

/**
 * A relay to s3rver. "pass" forwards both ways; "store-then-cut" forwards the request but cuts the
 * connection at the first byte of S3's answer (the object is stored, the client never learns it);
 * and then goes "down": it refuses every connection, as a dead store does.
 */
type RelayMode = "pass" | "store-then-cut" | "down";
async function startRelay(target: URL): Promise<{ endpoint: string; mode: RelayMode; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const relay = {
    endpoint: "",
    mode: "pass" as RelayMode,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    client.on("error", () => {});
    if (relay.mode === "down") return void client.destroy();
    const upstream = net.connect(Number(target.port), target.hostname);
    sockets.add(upstream);
    upstream.on("close", () => sockets.delete(upstream));
    upstream.on("error", () => client.destroy());
    client.on("close", () => upstream.destroy());
    client.pipe(upstream);
    upstream.on("data", (chunk: Buffer) => {
      if (relay.mode === "pass") return void client.write(chunk);
      // The store dies right after storing: the request's own delete is refused too.
      relay.mode = "down";
      client.destroy();
      upstream.destroy();
    });
    upstream.on("end", () => client.end());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  relay.endpoint = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  return relay;
}

let s3: S3Server;
beforeAll(async () => {
  s3 = await startS3Server("c360-upload-cleanup");
});
afterAll(async () => {
  await s3?.destroy();
});

/** One attempt per request: the worker's own retries are under test, not the SDK's. */
const storageAt = (endpoint: string): ObjectStorage =>
  s3Storage({
    bucket: s3.bucket,
    client: createS3Client({ endpoint, forcePathStyle: true, accessKeyId: "S3RVER", secretAccessKey: "S3RVER", maxAttempts: 1 }),
  });

describe.each(drivers)("upload cleanup on %s", (driver) => {
  let h: DatabaseHandle & { demo: Awaited<ReturnType<typeof openSeededDatabase>>["demo"] };
  let storage: ObjectStorage;
  beforeAll(async () => {
    h = await openSeededDatabase(driver);
    storage = storageAt(s3.endpoint);
  });
  afterAll(async () => {
    await h?.close();
  });

  const intent = async (key: string) => (await h.db.select().from(uploadIntents).where(eq(uploadIntents.storageKey, key)))[0];
  const stored = async (key: string) => (await storage.list(key)).includes(key);
  const secondsUntil = async (key: string) =>
    Number((await h.db.execute<{ s: number }>(sql`select extract(epoch from due_at - now())::float8 as s from upload_intents where storage_key = ${key}`)).rows[0].s);

  it("S3 down: the object stays with its intent, retried with growing backoff; once S3 is back the object goes, then the intent", async () => {
    const key = `accounts/cleanup-${driver}/a/left-behind.txt`;
    await recordUploadIntent(h.db, key);
    await storage.put(key, Buffer.from("stored, but the answer never came"));
    await s3.stop();
    try {
      await abandonUpload(h.db, storage, key); // the request's own attempt fails: due at once
      const marked = await intent(key);
      expect(marked.abandonedAt).not.toBeNull();
      expect(marked.lastError).toMatch(/ECONNREFUSED|connect/i);
      expect(await secondsUntil(key)).toBeLessThanOrEqual(0);

      const first = await cleanUpAbandonedUploads({ db: h.db, storage });
      expect(first).toEqual({ removed: 0, failed: 1, more: false });
      expect((await intent(key)).attempts).toBe(1);
      const firstDelay = await secondsUntil(key);
      expect(firstDelay).toBeGreaterThan(0.5);
      expect(firstDelay).toBeLessThanOrEqual(1);
      // Not due yet: a run now leaves it alone.
      expect(await cleanUpAbandonedUploads({ db: h.db, storage })).toEqual({ removed: 0, failed: 0, more: false });

      const later = new Date(Date.now() + 60_000);
      expect(await cleanUpAbandonedUploads({ db: h.db, storage, asOf: later })).toEqual({ removed: 0, failed: 1, more: false });
      expect(await cleanUpAbandonedUploads({ db: h.db, storage, asOf: later })).toEqual({ removed: 0, failed: 1, more: false });
      expect((await intent(key)).attempts).toBe(3);
      expect(await secondsUntil(key)).toBeGreaterThan(3); // 1 s, 2 s, then 4 s
    } finally {
      await s3.start();
    }
    expect(await stored(key)).toBe(true);
    expect(await cleanUpAbandonedUploads({ db: h.db, storage, asOf: new Date(Date.now() + 60_000) })).toEqual({ removed: 1, failed: 0, more: false });
    expect(await stored(key)).toBe(false);
    expect(await intent(key)).toBeUndefined();
  });

  it("a process killed mid-upload: its intent is never renewed and is cleaned after the grace period, an object that never arrived included", async () => {
    const arrived = `accounts/cleanup-${driver}/b/arrived.bin`;
    const never = `accounts/cleanup-${driver}/c/never-arrived.bin`;
    await recordUploadIntent(h.db, arrived);
    await recordUploadIntent(h.db, never);
    await storage.put(arrived, Buffer.alloc(1024, 7));
    expect(await cleanUpAbandonedUploads({ db: h.db, storage })).toEqual({ removed: 0, failed: 0, more: false });
    expect(await stored(arrived)).toBe(true);

    const afterGrace = new Date(Date.now() + UPLOAD_INTENT_GRACE_MS + 5_000);
    expect(await cleanUpAbandonedUploads({ db: h.db, storage, asOf: afterGrace })).toEqual({ removed: 2, failed: 0, more: false });
    expect(await stored(arrived)).toBe(false);
    expect(await intent(arrived)).toBeUndefined();
    expect(await intent(never)).toBeUndefined();
  });

  it("the cleanup and the asset insert exclude each other: a claimed intent cannot become an asset, a completed one is never cleaned", async () => {
    const claimed = `accounts/cleanup-${driver}/d/claimed.bin`;
    const completed = `accounts/cleanup-${driver}/e/completed.bin`;
    await recordUploadIntent(h.db, claimed);
    await recordUploadIntent(h.db, completed);
    expect(await h.db.transaction((tx) => completeUploadIntent(tx, completed))).toBe(true);
    const afterGrace = new Date(Date.now() + UPLOAD_INTENT_GRACE_MS + 5_000);
    expect(await cleanUpAbandonedUploads({ db: h.db, storage, asOf: afterGrace })).toEqual({ removed: 1, failed: 0, more: false });
    expect(await h.db.transaction((tx) => completeUploadIntent(tx, claimed))).toBe(false);
  });

  it("S3 stores the object and dies before answering: 503, no asset row; the intent is due at once and the worker removes the object once S3 is back", async () => {
    const relay = await startRelay(new URL(s3.endpoint));
    try {
      const [admin] = await h.db.select({ id: users.id }).from(users).where(eq(users.email, "admin@demo.test"));
      const ctx = { db: h.db, viewer: (await loadViewer(h.db, admin.id))! };
      const account = (await findAccount(ctx, h.demo.busiestProductId))!;
      const assetsBefore = Number((await h.db.execute<{ n: number }>(sql`select count(*)::int as n from assets`)).rows[0].n);
      const viaRelay = storageAt(relay.endpoint);

      relay.mode = "store-then-cut";
      const result = await storeUpload({ ctx, account, filename: "cut-off.txt", stream: Readable.from([Buffer.alloc(64 * 1024, 65)]), storage: viaRelay });
      expect(relay.mode).toBe("down");
      expect(result).toMatchObject({ ok: false, status: 503, code: "storage_unavailable" });
      expect(Number((await h.db.execute<{ n: number }>(sql`select count(*)::int as n from assets`)).rows[0].n)).toBe(assetsBefore);

      const [orphan] = await storage.list(`accounts/${account.id}/`);
      expect(orphan).toBeDefined();
      const left = await intent(orphan);
      expect(left.abandonedAt).not.toBeNull();
      expect(await secondsUntil(orphan)).toBeLessThanOrEqual(0);
      expect((await cleanUpAbandonedUploads({ db: h.db, storage: viaRelay })).failed).toBe(1);
      expect(await stored(orphan)).toBe(true);

      relay.mode = "pass";
      expect(await cleanUpAbandonedUploads({ db: h.db, storage: viaRelay, asOf: new Date(Date.now() + 60_000) })).toEqual({ removed: 1, failed: 0, more: false });
      expect(await storage.list(`accounts/${account.id}/`)).toEqual([]);
      expect(await intent(orphan)).toBeUndefined();
    } finally {
      await relay.close();
    }
  });
});
