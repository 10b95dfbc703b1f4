/**
 * `npm run user:create -- --email ada@example.com --name "Ada Admin" --role admin [--team KEY]... [--password-stdin]`
 *
 * Creates a user in the configured database (DATABASE_URL: Postgres; unset: PGlite in PGLITE_DIR,
 * default ./data/pglite) and prints a one-time link to set their password (valid 72 hours; the base
 * URL is PUBLIC_URL, else AUTH_URL, else http://localhost:3000), or with --password-stdin sets the
 * password read from standard input. This is how the first admin of a new installation is made.
 *
 * PGlite is one process: run this while the server is stopped when the data lives in PGlite.
 * Runs outside Next: it reads the environment itself and imports no `server-only` module.
 */
import path from "node:path";
import { eq, inArray, sql } from "drizzle-orm";
import { migrateDatabase, openDatabase, type DatabaseHandle } from "@/db/client";
import { auditLog, teamMembers, teams, users } from "@/db/schema";
import { hashPassword, issuePasswordToken, linkBase, newPasswordField, PASSWORD_LINK_HOURS, setPasswordUrl } from "@/lib/auth/password-tokens";
import type { Role } from "@/lib/auth/permissions";
import { readEnv } from "@/lib/env";

const ROLES: readonly Role[] = ["admin", "member", "leadership", "viewer"];

const USAGE = `Usage:
  npm run user:create -- --email EMAIL --name "NAME" --role admin|member|leadership|viewer [--team KEY]... [--password-stdin]

  Prints a one-time link to set the password (valid ${PASSWORD_LINK_HOURS} hours), or with
  --password-stdin reads the password from standard input (at least 10 characters).
  Uses DATABASE_URL (Postgres) when set, else the PGlite folder PGLITE_DIR (default ./data/pglite):
  stop the server first when using PGlite.`;

class UsageError extends Error {}

type Args = { email: string; name: string; role: Role; teams: string[]; passwordStdin: boolean; help: boolean };

function parseArgs(argv: string[]): Args {
  const args: Partial<Args> & { teams: string[] } = { teams: [], passwordStdin: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === "") throw new UsageError(`${flag} needs a value`);
      return v;
    };
    if (flag === "--help" || flag === "-h") args.help = true;
    else if (flag === "--email") args.email = value().trim().toLowerCase();
    else if (flag === "--name") args.name = value().trim();
    else if (flag === "--role") {
      const role = value();
      if (!ROLES.includes(role as Role)) throw new UsageError(`--role must be one of ${ROLES.join(", ")}, not "${role}"`);
      args.role = role as Role;
    } else if (flag === "--team") args.teams.push(value());
    else if (flag === "--password-stdin") args.passwordStdin = true;
    else throw new UsageError(`unknown argument "${arg}"`);
  }
  if (args.help) return args as Args;
  if (!args.email || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(args.email) || args.email.length > 320) throw new UsageError("--email must be an email address such as ada@example.com");
  if (!args.name || args.name.length > 120) throw new UsageError("--name must be 1 to 120 characters");
  if (!args.role) throw new UsageError(`--role is required (${ROLES.join(", ")})`);
  return args as Args;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk));
  // One trailing newline (echo, a heredoc) is not part of the password.
  return Buffer.concat(chunks).toString("utf8").replace(/\r?\n$/, "");
}

async function createUser(args: Args): Promise<void> {
  // Validated like the server's, except that AUTH_SECRET is the server's business: this script
  // signs no one in, so it also runs from a shell that has only DATABASE_URL.
  const env = readEnv({ ...process.env, NODE_ENV: "development" });
  let password: string | null = null;
  if (args.passwordStdin) {
    const parsed = newPasswordField.safeParse(await readStdin());
    if (!parsed.success) throw new UsageError(`the password from standard input: ${parsed.error.issues[0].message}`);
    password = parsed.data;
  }
  const target = env.DATABASE_URL ? "Postgres (DATABASE_URL)" : `PGlite at ${path.resolve(env.PGLITE_DIR)}`;
  let handle: DatabaseHandle | undefined;
  try {
    handle = env.DATABASE_URL
      ? await openDatabase({ driver: "pg", url: env.DATABASE_URL, poolSize: 2, preparedStatements: false }) // migrate holds one for its lock
      : await openDatabase({ driver: "pglite", dataDir: path.resolve(env.PGLITE_DIR) });
    await migrateDatabase(handle);
    const passwordHash = password ? await hashPassword(password) : null;
    const outcome = await handle.db.transaction(async (tx) => {
      const [existing] = await tx.select({ id: users.id }).from(users).where(eq(sql`lower(${users.email})`, args.email)).limit(1);
      if (existing) throw new UsageError(`a user with the email ${args.email} exists already (an admin can send them a new set-password link in /admin/users)`);
      const picked = args.teams.length ? await tx.select({ id: teams.id, key: teams.key }).from(teams).where(inArray(teams.key, args.teams)) : [];
      const missing = args.teams.filter((key) => !picked.some((t) => t.key === key));
      if (missing.length) throw new UsageError(`no team with the key ${missing.map((k) => `"${k}"`).join(", ")}`);
      const [user] = await tx.insert(users).values({ email: args.email, name: args.name, role: args.role, passwordHash }).returning({ id: users.id });
      if (picked.length) await tx.insert(teamMembers).values(picked.map((t) => ({ teamId: t.id, userId: user.id })));
      await tx.insert(auditLog).values({
        actorId: null,
        action: "user.create",
        targetType: "user",
        targetId: user.id,
        details: { via: "command line", after: { email: args.email, name: args.name, role: args.role, teams: picked.map((t) => t.key).sort(), password: passwordHash ? "set" : "link" } },
      });
      const link = passwordHash ? null : await issuePasswordToken(tx, { userId: user.id, purpose: "invite", createdById: null });
      return { link };
    });
    console.log(`Created ${args.role} ${args.name} <${args.email}> in ${target}.`);
    if (outcome.link) {
      const url = setPasswordUrl(linkBase(env, "http://localhost:3000"), outcome.link.token);
      console.log(`Open this link to set the password (it works once, until ${outcome.link.expiresAt.toISOString()}):`);
      console.log(url);
    } else {
      console.log("The password is set: sign in at /login.");
    }
  } finally {
    await handle?.close();
  }
}

async function main(): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`user:create: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  try {
    await createUser(args);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`user:create: ${error.message}`);
      return 2;
    }
    const e = error as Error;
    console.error(`user:create: failed: ${e.message}`);
    if (process.env.DEBUG) console.error(e.stack);
    return 1;
  }
}

main().then((code) => {
  process.exitCode = code;
});
