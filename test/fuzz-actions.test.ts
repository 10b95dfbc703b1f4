/**
 * Fuzz test of every SERVER ACTION (API routes: test/e2e/fuzz-routes.test.ts). The actions are found
 * from the file system (test/support/server-actions.ts), so actions added later are fuzzed without
 * editing this file; their zod schema's keys steer the payloads. Each action gets FUZZ_PER_ACTION
 * malformed payloads from a seeded PRNG (FUZZ_SEED=<n> reproduces a run), run through the real
 * wrapper (runAction) as a random demo role on a real database:
 *   - "schema": one required field missing or of a value its schema refuses, the rest junk;
 *   - "crafted": every id field a well-formed id that names nothing, the rest junk or plausible;
 *   - hostile keys (__proto__, constructor…) and huge, unicode and control-character values.
 * Every answer must be a typed refusal ({ ok: false, error }), never an unexpected error (runAction
 * logs those as "[action …]": counted as failures, the equivalent of a 5xx) and never a write: a
 * fingerprint of every table's row count is equal before and after.
 *
 * To fuzz a new action nothing is needed; if its payloads need an id-like field the key names
 * cannot reveal (not `…Id`, `…Ids` or `to`), add the key to ID_KEYS below.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { runAction } from "@/lib/actions/define";
import { loadViewer, type Ctx } from "@/lib/dal/viewer";
import { drivers, openSeededDatabase } from "./support/databases";
import { craftedId, FUZZ_SEED, junkPayload, junkValue, prng } from "./support/fuzz";
import { discoverServerActions, type AnyDefinition } from "./support/server-actions";

const FUZZ_PER_ACTION = 60;
/** Keys holding ids besides `…Id` / `…Ids`: a recipient ("user:<id>"). */
const ID_KEYS: Record<string, (id: string) => unknown> = { to: (id) => `user:${id}` };
const ROLES = ["admin", "admin", "csm", "csm", "leader", "viewer", "signedOut"] as const;

function shapeOf(definition: AnyDefinition): Record<string, z.ZodType> {
  const schema = definition.schema as unknown as { shape?: Record<string, z.ZodType> };
  return schema.shape ?? {};
}

describe.each(drivers)("fuzzing every server action on %s", (driver) => {
  let seeded: Awaited<ReturnType<typeof openSeededDatabase>>;
  const ctx: Record<string, Ctx | null> = { signedOut: null };
  let definitions: AnyDefinition[] = [];
  let tables: string[] = [];
  let sent = 0;
  let outcome = "not finished";

  const fingerprint = async () => {
    const counts = tables.map((t) => sql`select ${t} as t, count(*)::int as n from ${sql.identifier(t)}`);
    const { rows } = await seeded.db.execute(sql`${sql.join(counts, sql` union all `)}`);
    const versions = await seeded.db.execute(sql`select coalesce(sum(version), 0)::int as v from attribute_values`);
    return JSON.stringify([[...rows].sort((a, b) => String(a.t).localeCompare(String(b.t))), versions.rows]);
  };

  beforeAll(async () => {
    seeded = await openSeededDatabase(driver);
    for (const [role, email] of [["admin", "admin@demo.test"], ["csm", "csm@demo.test"], ["leader", "leader@demo.test"], ["viewer", "viewer@demo.test"]]) {
      ctx[role] = { db: seeded.db, viewer: (await loadViewer(seeded.db, seeded.demo.userIds[email]))! };
    }
    definitions = (await discoverServerActions()).flatMap((d) => (d.definition ? [d.definition] : []));
    const { rows } = await seeded.db.execute<{ table_name: string }>(
      sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' and table_name not like '%drizzle%' order by 1`,
    );
    tables = rows.map((r) => r.table_name);
  });
  afterAll(async () => {
    console.log(`[fuzz] ${driver}: ${sent} malformed payloads across ${definitions.length} server actions (seed ${FUZZ_SEED}): ${outcome}`);
    await seeded?.close();
  });

  it(`refuses ${FUZZ_PER_ACTION} malformed payloads per action with a typed error, no crash and no write`, async () => {
    expect(definitions.length).toBeGreaterThanOrEqual(19);
    const unexpected: string[] = [];
    const spy = vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
      unexpected.push(args.map((a) => (a instanceof Error ? a.message : String(a))).join(" ").slice(0, 300));
    });
    const before = await fingerprint();
    try {
      for (const [index, definition] of definitions.entries()) {
        const r = prng(FUZZ_SEED + index * 7919);
        const shape = shapeOf(definition);
        const keys = Object.keys(shape);
        const required = keys.filter((k) => !shape[k].safeParse(undefined).success);
        const idKeys = keys.filter((k) => /Ids?$/.test(k) || ID_KEYS[k]);
        for (let i = 0; i < FUZZ_PER_ACTION; i++) {
          const role = r.pick(ROLES);
          const payload = junkPayload(r, keys);
          const mode = idKeys.length && (r.chance(0.5) || !required.length) ? "crafted" : "schema";
          if (mode === "crafted") {
            for (const key of idKeys) {
              const id = craftedId(r);
              payload[key] = /Ids$/.test(key) ? [id, craftedId(r)] : ID_KEYS[key] ? ID_KEYS[key](id) : id;
            }
            for (const key of keys) if (!idKeys.includes(key) && r.chance(0.4)) payload[key] = r.pick(["Fuzz ✓ 🦄", "on", "1", "2026-12-31", "note", "member", "https://example.com"]);
          } else if (required.length) {
            const key = r.pick(required);
            let value: unknown = undefined;
            for (let tries = 0; tries < 5 && value === undefined; tries++) {
              const candidate = junkValue(r);
              if (!shape[key].safeParse(candidate).success) value = candidate;
            }
            if (value === undefined) delete payload[key];
            else payload[key] = value;
          } else continue;
          sent++;
          const label = `${definition.name} #${i} (${mode}, ${role}, seed ${FUZZ_SEED}): ${JSON.stringify(payload, (_k, v) => (typeof v === "string" && v.length > 80 ? `${v.slice(0, 80)}…(${v.length})` : v)).slice(0, 400)}`;
          let result: Awaited<ReturnType<typeof runAction>>;
          try {
            result = await runAction(definition, payload, ctx[role]);
          } catch (error) {
            throw new Error(`${label} threw: ${(error as Error).message}`);
          }
          expect(result.ok, label).toBe(false);
          expect(typeof (result as { error?: unknown }).error, label).toBe("string");
          expect(unexpected, label).toEqual([]);
        }
      }
    } finally {
      spy.mockRestore();
    }
    expect(await fingerprint(), "rows changed").toBe(before);
    expect(sent).toBeGreaterThanOrEqual(1000);
    outcome = "all refused with a typed error, 0 unexpected errors, 0 rows changed";
  }, 180_000);
});
