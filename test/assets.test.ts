/**
 * File uploads end to end below the HTTP layer: storeUpload / openDownload / deleteAsset against a
 * real database (both drivers) and real storage (s3rver on loopback AND local disk). The routes in
 * app/api are thin wrappers over these functions.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assets, users } from "@/db/schema";
import { deleteAsset, openDownload } from "@/lib/assets/manage";
import { scriptKind } from "@/lib/assets/inspect";
import { contentDisposition, displayName } from "@/lib/assets/names";
import { storeUpload, type UploadResult } from "@/lib/assets/upload";
import { findAccount, type AccountSummary } from "@/lib/dal/accounts";
import { assetsOf, findAsset } from "@/lib/dal/assets";
import { loadViewer, type Ctx } from "@/lib/dal/viewer";
import { createS3Client, localStorage, s3Storage, type ObjectStorage } from "@/lib/storage";
import { drivers, openSeededDatabase } from "./support/databases";

const MB = 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// s3rver in a child process (its memory must not count as the upload's), on a free port
// ---------------------------------------------------------------------------------------------

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

type S3rver = { endpoint: string; bucket: string; stop(): Promise<void> };

async function startS3rver(bucket: string): Promise<S3rver> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "c360-s3rver-"));
  const port = await freePort();
  const bin = path.join(path.dirname(createRequire(import.meta.url).resolve("s3rver/package.json")), "bin", "s3rver.js");
  const child: ChildProcess = spawn(process.execPath, [bin, "-d", dir, "-a", "127.0.0.1", "-p", String(port), "-s", "--configure-bucket", bucket], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`s3rver did not start within 20 s:\n${output}`)), 20_000);
    child.stdout!.on("data", (data: Buffer) => {
      output += data.toString();
      if (/listening on/i.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr!.on("data", (data: Buffer) => (output += data.toString()));
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`s3rver exited with ${code}:\n${output}`));
    });
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill("SIGTERM");
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Files and streams
// ---------------------------------------------------------------------------------------------

/** `total` bytes in chunks of `chunk`, generated on demand (never held whole); `head` first. */
function generatedStream(total: number, options: { chunk?: number; head?: Buffer; failAfter?: number } = {}): Readable {
  const size = options.chunk ?? 256 * 1024;
  const block = Buffer.alloc(size);
  for (let i = 0; i < size; i++) block[i] = (i * 31 + 7) & 0xff;
  let sent = 0;
  return new Readable({
    read() {
      if (options.failAfter !== undefined && sent >= options.failAfter) {
        this.destroy(new Error("ECONNRESET: the client went away"));
        return;
      }
      if (sent >= total) {
        this.push(null);
        return;
      }
      let piece = Math.min(size, total - sent) === size ? block : block.subarray(0, total - sent);
      if (sent === 0 && options.head) piece = Buffer.concat([options.head, piece.subarray(options.head.length)]);
      sent += piece.length;
      // Async, like a socket: lets the sampler and the storage run between chunks.
      setImmediate(() => this.push(piece));
    },
  });
}

/** A buffer as a stream of small chunks, so markers fall across chunk boundaries. */
function chunked(bytes: Buffer, size = 997): Readable {
  const parts: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) parts.push(bytes.subarray(at, at + size));
  return Readable.from(parts);
}

function pdf(extraTrailer = "", padding = 0): Buffer {
  const body = "x".repeat(padding);
  return Buffer.from(
    `%PDF-1.7\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>> endobj\n` +
      `3 0 obj <</Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R>> endobj\n` +
      `4 0 obj <</Length ${body.length + 30}>> stream\nBT /F1 12 Tf 72 720 Td (Hi) Tj ET ${body}\nendstream endobj\n` +
      (extraTrailer ? `5 0 obj <</Filter /Standard /V 2 /R 3 /Length 128 /P -1084 /O <00112233> /U <44556677>>> endobj\n` : "") +
      `xref\n0 6\n0000000000 65535 f \ntrailer\n<</Size 6 /Root 1 0 R ${extraTrailer}>>\nstartxref\n0\n%%EOF\n`,
    "latin1",
  );
}

function windowsExecutable(): Buffer {
  const exe = Buffer.alloc(1024);
  exe.write("MZ", 0, "latin1");
  exe.writeUInt16LE(0x90, 2);
  exe.writeUInt32LE(0x80, 0x3c);
  exe.write("This program cannot be run in DOS mode.", 0x4e, "latin1");
  exe.write("PE\0\0", 0x80, "latin1");
  exe.writeUInt16LE(0x14c, 0x84); // i386
  return exe;
}

/** A ZIP with one stored entry; `flags` is the general-purpose bit flag (bit 0 = encrypted). */
function zip(name: string, data: Buffer, flags = 0): Buffer {
  const fileName = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(flags, 6);
  local.writeUInt16LE(0, 8); // stored
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(fileName.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(flags, 8);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(fileName.length, 28);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(46 + fileName.length, 12);
  end.writeUInt32LE(30 + fileName.length + data.length, 16);
  return Buffer.concat([local, fileName, data, central, fileName, end]);
}

/**
 * What Office writes for a password-protected .docx/.xlsx/.pptx: an OLE compound file (not a ZIP)
 * whose directory holds the "EncryptionInfo" and "EncryptedPackage" streams.
 */
function encryptedOoxml(): Buffer {
  const sector = 512;
  const file = Buffer.alloc(sector * 4);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(file, 0);
  file.writeUInt16LE(0x3e, 24); // minor version
  file.writeUInt16LE(3, 26); // major version 3
  file.writeUInt16LE(0xfffe, 28); // little-endian
  file.writeUInt16LE(9, 30); // 512-byte sectors
  file.writeUInt16LE(6, 32);
  file.writeUInt32LE(1, 44); // one FAT sector
  file.writeUInt32LE(1, 48); // directory starts at sector 1
  file.writeUInt32LE(4096, 56);
  file.writeInt32LE(-2, 60);
  file.writeInt32LE(-2, 68);
  file.writeUInt32LE(0, 76); // FAT in sector 0
  const entry = (index: number, name: string, type: number) => {
    const at = sector * 2 + index * 128; // directory = file sector 1 = offset 1024
    const encoded = Buffer.from(`${name}\0`, "utf16le");
    encoded.copy(file, at);
    file.writeUInt16LE(encoded.length, at + 64);
    file[at + 66] = type;
  };
  entry(0, "Root Entry", 5);
  entry(1, "EncryptionInfo", 2);
  entry(2, "EncryptedPackage", 2);
  entry(3, "\u0006DataSpaces", 1);
  return file;
}

async function bytesOf(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(Buffer.from(part));
  return Buffer.concat(parts);
}

async function sha256(stream: Readable): Promise<{ hash: string; size: number }> {
  const hash = createHash("sha256");
  let size = 0;
  for await (const part of stream) {
    hash.update(part);
    size += part.length;
  }
  return { hash: hash.digest("hex"), size };
}

function sha256Generated(total: number, options: { head?: Buffer } = {}): Promise<{ hash: string; size: number }> {
  return sha256(generatedStream(total, options));
}

/**
 * Peak growth over the baseline while `run` runs, sampled every 10 ms: RSS, and the JS heap plus
 * Buffer memory (which lives outside the heap), the part an upload could pile up.
 */
async function measureMemory<T>(run: () => Promise<T>): Promise<{ result: T; rssMb: number; heapMb: number; ms: number }> {
  const base = process.memoryUsage();
  const js = (m: NodeJS.MemoryUsage) => m.heapUsed + m.arrayBuffers;
  let rss = base.rss;
  let heap = js(base);
  const sample = () => {
    const now = process.memoryUsage();
    rss = Math.max(rss, now.rss);
    heap = Math.max(heap, js(now));
  };
  const timer = setInterval(sample, 10);
  const started = performance.now();
  try {
    const result = await run();
    sample();
    return { result, rssMb: (rss - base.rss) / MB, heapMb: (heap - js(base)) / MB, ms: performance.now() - started };
  } finally {
    clearInterval(timer);
  }
}

const BIG_HEAD = Buffer.from("DATA-EXPORT v1\0\0binary");

// ---------------------------------------------------------------------------------------------

describe("content checks", () => {
  it("tells scripts from text", () => {
    expect(scriptKind(Buffer.from("@echo off\r\ndel /q C:\\*\r\n"))).toBe("batch");
    expect(scriptKind(Buffer.from("REM setup\r\nset X=1\r\ngoto end\r\n"))).toBe("batch");
    expect(scriptKind(Buffer.from("#!/usr/bin/env node\nconsole.log(1)\n"))).toBe("javascript");
    expect(scriptKind(Buffer.from("// tool\n/* header */\nconst fs = require('fs');\n"))).toBe("javascript");
    expect(scriptKind(Buffer.from("(function(){ var s = new ActiveXObject('WScript.Shell'); })();"))).toBe("javascript");
    expect(scriptKind(Buffer.from("import { x } from './x.js';\nexport default x;\n"))).toBe("javascript");
    expect(scriptKind(Buffer.from("Let me know if the renewal terms work.\nConst values below.\n"))).toBeNull();
    expect(scriptKind(Buffer.from("name,arr\nNorthwind,1200\n"))).toBeNull();
    expect(scriptKind(Buffer.from("# Notes\nfunction of the team: support\n"))).toBeNull();
  });

  it("builds a safe Content-Disposition and keeps the extension on typed names", () => {
    expect(contentDisposition('Ré"port\r\n.pdf')).toBe(`attachment; filename="R__port_.pdf"; filename*=UTF-8''R%C3%A9%22port%0D%0A.pdf`);
    expect(displayName("Order form", "scan 12.pdf")).toBe("Order form.pdf");
    expect(displayName("", "scan 12.pdf")).toBe("scan 12.pdf");
    expect(displayName("Deck.pdf", "deck.pdf")).toBe("Deck.pdf");
  });
});

let s3: S3rver;
const scratch: string[] = [];
beforeAll(async () => {
  s3 = await startS3rver("c360-assets");
}, 60_000);
afterAll(async () => {
  await s3?.stop();
  for (const dir of scratch) await rm(dir, { recursive: true, force: true });
});

type Backend = { label: string; make: () => Promise<ObjectStorage>; dir?: () => string };
let localDir = "";
const backends: Backend[] = [
  {
    label: "s3rver",
    make: async () =>
      s3Storage({
        bucket: s3.bucket,
        client: createS3Client({ endpoint: s3.endpoint, forcePathStyle: true, accessKeyId: "S3RVER", secretAccessKey: "S3RVER" }),
      }),
  },
  {
    label: "local disk",
    make: async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), "c360-assets-"));
      scratch.push(dir);
      localDir = dir;
      return localStorage(dir);
    },
    dir: () => localDir,
  },
];

describe.each(drivers)("uploads on %s", (driver) => {
  let seeded: Awaited<ReturnType<typeof openSeededDatabase>>;
  let csm: Ctx;
  let admin: Ctx;
  let leader: Ctx;
  let viewer: Ctx;
  let product: AccountSummary;
  let opportunity: AccountSummary;

  const ctxFor = async (email: string): Promise<Ctx> => {
    const [user] = await seeded.db.select({ id: users.id }).from(users).where(eq(users.email, email));
    const loaded = await loadViewer(seeded.db, user.id);
    if (!loaded) throw new Error(`no viewer ${email}`);
    return { db: seeded.db, viewer: loaded };
  };

  beforeAll(async () => {
    seeded = await openSeededDatabase(driver);
    [csm, admin, leader, viewer] = await Promise.all(["csm@demo.test", "admin@demo.test", "leader@demo.test", "viewer@demo.test"].map(ctxFor));
    product = (await findAccount(csm, seeded.demo.busiestProductId))!;
    opportunity = (await findAccount(csm, seeded.demo.opportunityId))!;
    expect(product?.name).toBe(seeded.demo.busiestProductName);
    expect(opportunity?.isOpportunity).toBe(true);
  });
  afterAll(async () => {
    await seeded?.close();
  });

  const fileRows = async (account: AccountSummary) =>
    Number(
      (
        await seeded.db.execute<{ n: number }>(
          sql`select count(*)::int as n from assets where account_id = ${account.id} and kind = 'file'`,
        )
      ).rows[0].n,
    );
  const assetEntries = async (account: AccountSummary) =>
    Number(
      (
        await seeded.db.execute<{ n: number }>(
          sql`select count(*)::int as n from timeline_entries where account_id = ${account.id} and kind = 'asset'`,
        )
      ).rows[0].n,
    );

  describe.each(backends)("to $label", ({ label, make, dir }) => {
    let storage: ObjectStorage;
    beforeAll(async () => {
      storage = await make();
    });

    /** Uploads and checks that a refusal left no row, no timeline entry and no object. */
    const expectRefused = async (
      upload: () => Promise<UploadResult>,
      account: AccountSummary,
      status: number,
      message: RegExp,
    ) => {
      // On disk, no folder is left behind either (storage.list only sees files).
      const folders = async () => (dir ? (await readdir(path.join(dir(), "accounts", account.id)).catch(() => [])).sort() : []);
      const [rowsBefore, entriesBefore, objectsBefore, foldersBefore] = await Promise.all([
        fileRows(account),
        assetEntries(account),
        storage.list(`accounts/${account.id}/`),
        folders(),
      ]);
      const result = await upload();
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.status).toBe(status);
      expect(result.error).toMatch(message);
      expect(await fileRows(account)).toBe(rowsBefore);
      expect(await assetEntries(account)).toBe(entriesBefore);
      expect(await storage.list(`accounts/${account.id}/`)).toEqual(objectsBefore);
      expect(await folders()).toEqual(foldersBefore);
      // Removed at once (storage answered), so no upload intent is left for the cleanup either.
      expect((await seeded.db.execute<{ n: number }>(sql`select count(*)::int as n from upload_intents`)).rows[0].n).toBe(0);
    };

    it("stores a small PDF with its row and timeline entry, and gives the same bytes back", async () => {
      const bytes = pdf("", 2000);
      const entriesBefore = await assetEntries(product);
      const result = await storeUpload({ ctx: csm, account: product, filename: "Signed order form.pdf", name: "Order form (signed)", stream: chunked(bytes), declaredType: "application/pdf", storage });
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      expect(result.asset).toMatchObject({ name: "Order form (signed).pdf", contentType: "application/pdf", sizeBytes: bytes.length, accountId: product.id });
      expect(result.asset.storageKey).toBe(`accounts/${product.id}/${result.asset.id}/Signed-order-form.pdf`);

      const listed = await assetsOf(csm, product, { limit: 5 });
      expect(listed.assets[0]).toMatchObject({ id: result.asset.id, kind: "file", name: "Order form (signed).pdf", sizeBytes: bytes.length, uploadedBy: "Casey CSM" });

      // The product holds exactly 2,000 entries: the new one is kept, the oldest pruned.
      const { rows } = await seeded.db.execute<{ n: number; title: string; snapshot: Record<string, unknown>; ref_id: string }>(sql`
        select (select count(*)::int from timeline_entries where account_id = ${product.id}) as n, title, snapshot, ref_id
        from timeline_entries where account_id = ${product.id} order by occurred_at desc, id desc limit 1`);
      expect(rows[0]).toMatchObject({ n: 2000, title: "Asset added: Order form (signed).pdf", ref_id: result.asset.id });
      expect(rows[0].snapshot).toEqual({ name: "Order form (signed).pdf", kind: "file", contentType: "application/pdf", sizeBytes: bytes.length });
      expect(await assetEntries(product)).toBe(entriesBefore + 1);

      const download = await openDownload(csm, result.asset.id, storage);
      expect(download.ok).toBe(true);
      if (!download.ok) return;
      expect(download.asset.contentType).toBe("application/pdf");
      expect((await bytesOf(download.object.stream)).equals(bytes)).toBe(true);
    });

    it("streams a 100 MB upload with memory growth far below the file size", async () => {
      const size = 100 * MB;
      const expected = await sha256Generated(size, { head: BIG_HEAD });
      const { result, rssMb, heapMb, ms } = await measureMemory(() =>
        storeUpload({ ctx: csm, account: product, filename: "usage-export-100mb.bin", stream: generatedStream(size, { head: BIG_HEAD }), storage }),
      );
      console.log(`[assets] 100 MB upload to ${label} on ${driver}: ${(ms / 1000).toFixed(1)} s, peak RSS growth ${rssMb.toFixed(1)} MB, peak heap+buffers growth ${heapMb.toFixed(1)} MB`);
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      expect(result.asset.sizeBytes).toBe(size);
      // The JS heap plus Buffer memory is what an upload could pile up: checked on both drivers. RSS
      // also counts PGlite's WebAssembly memory, which lives in this process: on Node 24 the first
      // large write through it grows RSS by ~390 MB whatever the upload does (heap+buffers 25 MB), so
      // RSS is checked where the database is out of process.
      if (driver === "pg") expect(rssMb).toBeLessThan(80);
      expect(heapMb).toBeLessThan(80);
      const stored = await storage.get(result.asset.storageKey);
      expect(await sha256(stored!.stream)).toEqual(expected);
      // Keep the scratch space small: remove it through the product's own delete.
      expect((await deleteAsset(csm, result.asset.id, storage)).ok).toBe(true);
      expect(await storage.list(result.asset.storageKey)).toEqual([]);
    }, 240_000);

    it("refuses 101 MB while streaming, and 51 MB on an opportunity (50 MB limit)", async () => {
      await expectRefused(
        () => storeUpload({ ctx: csm, account: product, filename: "too-big.bin", stream: generatedStream(101 * MB, { head: BIG_HEAD }), storage }),
        product,
        413,
        /larger than the limit of 100 MB/,
      );
      await expectRefused(
        () => storeUpload({ ctx: csm, account: opportunity, filename: "deal-room.bin", stream: generatedStream(51 * MB, { head: BIG_HEAD }), storage }),
        opportunity,
        413,
        /larger than the limit of 50 MB/,
      );
      // A Content-Length far over the limit is refused before a byte is read.
      const untouched = generatedStream(200 * MB);
      await expectRefused(
        () => storeUpload({ ctx: csm, account: product, filename: "huge.bin", stream: untouched, declaredSize: 200 * MB, storage }),
        product,
        413,
        /limit of 100 MB/,
      );
      untouched.destroy();
    }, 240_000);

    it("refuses executables and scripts by name and by content", async () => {
      const cases: [string, Buffer, RegExp][] = [
        ["setup.exe", Buffer.from("just text"), /setup\.exe.*executable files and scripts/],
        ["invoice.pdf", windowsExecutable(), /invoice\.pdf.*content is an executable program/],
        ["cleanup.bat", Buffer.from("@echo off\r\ndel *.*\r\n"), /cleanup\.bat.*executable files and scripts/],
        ["run.cmd.  ", Buffer.from("echo hi"), /executable files and scripts/],
        ["notes.txt", Buffer.from("@ECHO OFF\r\nformat c:\r\n"), /content is a batch script/],
        ["widget.js", Buffer.from("console.log('hi')"), /widget\.js.*executable files and scripts/],
        ["readme.txt", Buffer.from("'use strict';\nconst cp = require('child_process');\ncp.exec('rm -rf /');\n"), /content is JavaScript/],
        ["report.pdf", Buffer.from("#!/usr/bin/env node\nprocess.exit(1)\n"), /content is JavaScript/],
      ];
      for (const [filename, bytes, message] of cases) {
        await expectRefused(() => storeUpload({ ctx: csm, account: product, filename, stream: chunked(bytes), storage }), product, 415, message);
      }
      // A typed display name cannot turn the download into an executable: the file's extension is kept.
      const renamed = await storeUpload({ ctx: csm, account: product, filename: "fine.txt", name: "installer.exe", stream: chunked(Buffer.from("hello")), storage });
      expect(renamed).toMatchObject({ ok: true, asset: { name: "installer.exe.txt", contentType: "text/plain" } });
    });

    it("refuses password-protected PDF, Office (encrypted OOXML) and ZIP files", async () => {
      const encryptedPdf = pdf("/Encrypt 5 0 R /ID [<0a1b> <0a1b>]", 3 * MB);
      await expectRefused(() => storeUpload({ ctx: csm, account: product, filename: "contract.pdf", stream: chunked(encryptedPdf, 64 * 1024 + 3), storage }), product, 422, /password-protected files are not supported/);
      await expectRefused(() => storeUpload({ ctx: csm, account: product, filename: "Budget 2027.xlsx", stream: chunked(encryptedOoxml()), storage }), product, 422, /password-protected/);
      await expectRefused(() => storeUpload({ ctx: csm, account: product, filename: "Budget 2027.bin", stream: chunked(encryptedOoxml(), 100), storage }), product, 422, /password-protected/);
      await expectRefused(
        () => storeUpload({ ctx: csm, account: product, filename: "exports.zip", stream: chunked(zip("export.csv", Buffer.from("a,b\n1,2\n"), 0x1)), storage }),
        product,
        422,
        /password-protected files are not supported/,
      );
      // An encrypted entry after 2 MB of plain ones is still seen (marker split across chunks).
      const mixed = Buffer.concat([zip("big.bin", Buffer.alloc(2 * MB, 0x41)).subarray(0, -22 - 46 - 7), zip("secret.txt", Buffer.from("x"), 0x9)]);
      await expectRefused(() => storeUpload({ ctx: csm, account: product, filename: "mixed.zip", stream: chunked(mixed, 4093), storage }), product, 422, /password-protected/);

      // Their unprotected twins are accepted.
      for (const [filename, bytes] of [
        ["contract.pdf", pdf("", 3 * MB)],
        ["exports.zip", zip("export.csv", Buffer.from("a,b\n1,2\n"))],
        ["Plan.docx", zip("[Content_Types].xml", Buffer.from("<Types/>"))],
        ["notes.txt", Buffer.from("Let me know if the renewal terms work.\n")],
      ] as const) {
        const ok = await storeUpload({ ctx: csm, account: product, filename, stream: chunked(bytes), storage });
        expect(ok.ok, `${filename}: ${ok.ok ? "" : ok.error}`).toBe(true);
      }
    });

    it("leaves no row and no object when the upload is interrupted midway", async () => {
      await expectRefused(
        () => storeUpload({ ctx: csm, account: product, filename: "half.bin", stream: generatedStream(40 * MB, { head: BIG_HEAD, failAfter: 12 * MB }), storage }),
        product,
        400,
        /interrupted/,
      );
      // The client aborting the request (signal) is the same.
      const controller = new AbortController();
      const stream = generatedStream(40 * MB, { head: BIG_HEAD });
      let seen = 0;
      stream.on("data", (c: Buffer) => {
        seen += c.length;
        if (seen > 8 * MB && !controller.signal.aborted) controller.abort();
      });
      await expectRefused(() => storeUpload({ ctx: csm, account: product, filename: "aborted.bin", stream, storage, signal: controller.signal }), product, 400, /interrupted/);
    }, 120_000);

    it("answers 403 to roles that only read, and downloads check visibility every time", async () => {
      for (const ctx of [leader, viewer]) {
        await expectRefused(() => storeUpload({ ctx, account: product, filename: "a.txt", stream: chunked(Buffer.from("hi")), storage }), product, 403, /cannot upload|not upload/);
      }
      const result = await storeUpload({ ctx: csm, account: product, filename: "emea-only.txt", stream: chunked(Buffer.from("EMEA eyes only\n")), storage });
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      // The Americas viewer cannot see the EMEA product, so neither the asset nor its bytes.
      expect(await findAccount(viewer, product.id)).toBeNull();
      expect(await findAsset(viewer, result.asset.id)).toBeNull();
      expect(await openDownload(viewer, result.asset.id, storage)).toMatchObject({ ok: false, status: 404 });
      expect(await openDownload(leader, result.asset.id, storage)).toMatchObject({ ok: true });
      expect(await openDownload(csm, "not-a-uuid", storage)).toMatchObject({ ok: false, status: 404 });
      // Leadership and viewers cannot delete; the CSM can, and then it is gone everywhere.
      expect(await deleteAsset(leader, result.asset.id, storage)).toMatchObject({ ok: false, status: 404 });
      expect(await deleteAsset(viewer, result.asset.id, storage)).toMatchObject({ ok: false, status: 404 });
      expect(await deleteAsset(csm, result.asset.id, storage)).toMatchObject({ ok: true, name: "emea-only.txt" });
      const [row] = await seeded.db.select({ deletedAt: assets.deletedAt }).from(assets).where(and(eq(assets.id, result.asset.id)));
      expect(row.deletedAt).toBeInstanceOf(Date);
      expect(await storage.list(result.asset.storageKey)).toEqual([]);
      expect(await openDownload(csm, result.asset.id, storage)).toMatchObject({ ok: false, status: 404 });
      expect(await deleteAsset(csm, result.asset.id, storage)).toMatchObject({ ok: false, status: 404 });
      const { rows } = await seeded.db.execute<{ title: string }>(
        sql`select title from timeline_entries where account_id = ${product.id} and ref_id = ${result.asset.id} order by id`,
      );
      expect(rows.map((r) => r.title)).toEqual(["Asset added: emea-only.txt", "Asset removed: emea-only.txt"]);
      expect((await assetsOf(csm, product, { limit: 500 })).assets.some((a) => a.id === result.asset.id)).toBe(false);
    });
  });

  it("answers 503 with no row when S3 is down (endpoint on a closed port)", async () => {
    const port = await freePort();
    const down = s3Storage({ bucket: "c360-assets", client: createS3Client({ endpoint: `http://127.0.0.1:${port}`, accessKeyId: "x", secretAccessKey: "y", maxAttempts: 2 }) });
    const before = await fileRows(product);
    for (const [filename, bytes] of [
      ["small.pdf", pdf()],
      ["export.bin", Buffer.concat([BIG_HEAD, Buffer.alloc(7 * MB, 1)])], // a multipart upload
    ] as const) {
      const result = await storeUpload({ ctx: csm, account: product, filename, stream: chunked(bytes, 64 * 1024), storage: down });
      expect(result).toMatchObject({ ok: false, status: 503, code: "storage_unavailable" });
      if (!result.ok) expect(result.error).toMatch(/^file storage is unavailable/);
    }
    expect(await fileRows(product)).toBe(before);
  }, 60_000);

  it("answers 503 with no row when the local folder cannot be written", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "c360-assets-broken-"));
    scratch.push(dir);
    const blocker = path.join(dir, "not-a-folder");
    await writeFile(blocker, "a file where the asset folder should be");
    const before = await fileRows(product);
    const result = await storeUpload({ ctx: csm, account: product, filename: "small.pdf", stream: chunked(pdf()), storage: localStorage(blocker) });
    expect(result).toMatchObject({ ok: false, status: 503, code: "storage_unavailable" });
    expect(await fileRows(product)).toBe(before);
  });
});
