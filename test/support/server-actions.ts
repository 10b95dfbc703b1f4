/**
 * Finds every server action from the file system: each `actions.ts` under app/ is imported and its
 * exports read. An export made by `defineAction` carries its definition (`.definition`), which
 * tests run with `runAction(definition, raw, ctx)`; any other export must be listed in
 * OTHER_SERVER_ACTIONS with the test that covers it. Used by the authorization matrix and the fuzz
 * test, so an action added later (by any branch) is picked up without editing them.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ActionDefinition } from "@/lib/actions/definition";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyDefinition = ActionDefinition<any, any>;

/** Server actions that do not go through defineAction, and where they are tested. */
export const OTHER_SERVER_ACTIONS: Record<string, string> = {
  signInAction: "credentials sign-in: test/e2e/auth.test.ts, test/e2e/security.test.ts (throttling)",
  signInWithSsoAction: "single sign-on start: test/e2e/sso.test.ts",
  signOutAction: "sign-out: test/e2e/auth.test.ts",
  setPasswordAction: "one-time set-password link (public; the link is the credential): test/e2e/team-install.test.ts, test/password-links.test.ts",
};

/** Files under `dir` (relative to the repository) whose name matches `name`. */
export function findFiles(dir: string, name: RegExp): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const entry of readdirSync(path.join(repoRoot, rel), { withFileTypes: true })) {
      const child = path.posix.join(rel, entry.name);
      if (entry.isDirectory()) walk(child);
      else if (name.test(entry.name)) out.push(child);
    }
  };
  walk(dir);
  return out.sort();
}

export type DiscoveredAction = { file: string; exportName: string; definition: AnyDefinition | null };

/** Every export of every "use server" module under app/ (the actions.ts files, and any other). */
export async function discoverServerActions(): Promise<DiscoveredAction[]> {
  const found: DiscoveredAction[] = [];
  const serverModules = findFiles("app", /\.tsx?$/).filter((file) =>
    /^\s*(\/\*[\s\S]*?\*\/\s*|\/\/[^\n]*\n\s*)*["']use server["']/.test(readFileSync(path.join(repoRoot, file), "utf8")),
  );
  for (const file of serverModules) {
    const mod = (await import(/* @vite-ignore */ path.join(repoRoot, file))) as Record<string, unknown>;
    for (const [exportName, value] of Object.entries(mod)) {
      if (typeof value !== "function") continue;
      const definition = (value as { definition?: AnyDefinition }).definition ?? null;
      found.push({ file, exportName, definition });
    }
  }
  return found;
}
