import { z } from "zod";

const flag = z
  .enum(["true", "false", "1", "0", "yes", "no"], { message: "must be true or false" })
  .transform((v) => v === "true" || v === "1" || v === "yes");

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
      .optional(),
    /**
     * A streaming replica of DATABASE_URL for reads that may lag a few seconds (lists, search, usage
     * charts): getReadDb() in db/index.ts. Unset: every read goes to DATABASE_URL.
     */
    DATABASE_READ_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL of a streaming replica")
      .optional(),
    /** Named prepared statements on Postgres (on by default); off behind PgBouncer in transaction mode. */
    DATABASE_PREPARED_STATEMENTS: flag.default(true),
    PGLITE_DIR: z.string().min(1).default("./data/pglite"),
    DEMO_MODE: flag.optional(),
    SEED_ON_START: flag.optional(),
    AUTH_SECRET: z.string().min(16, "must be at least 16 characters").optional(),
    ASSET_DIR: z.string().min(1).default("./data/assets"),
    S3_ENDPOINT: z.url("must be a URL such as http://127.0.0.1:9000").optional(),
    S3_REGION: z.string().min(1).default("us-east-1"),
    S3_BUCKET: z.string().min(3, "must be a bucket name").optional(),
    S3_ACCESS_KEY_ID: z.string().optional(),
    S3_SECRET_ACCESS_KEY: z.string().optional(),
    S3_FORCE_PATH_STYLE: flag.default(true),
    PUBLIC_URL: z.url("must be the app's public base URL, e.g. https://c360.example.com").optional(),
    // Slack previews (issue #8): the Slack app's signing secret and bot token, the Web API base URL
    // (tests point it at a local fake) and the user whose scope decides what unfurls show.
    SLACK_SIGNING_SECRET: z.string().min(16, "must be the Slack app's signing secret").optional(),
    SLACK_BOT_TOKEN: z.string().startsWith("xox", "must be a Slack bot token (xoxb-…)").optional(),
    SLACK_API_URL: z.url("must be a URL such as https://slack.com/api").default("https://slack.com/api"),
    SLACK_UNFURL_AS: z.email("must be the email of a Customer 360 user").optional(),
    AUTH_URL: z.url("must be the app's public base URL, e.g. https://c360.example.com").optional(),
    // Single sign-on (OpenID Connect): all three of issuer, client id and secret, or none.
    OIDC_ISSUER: z.url("must be the OpenID Connect issuer URL, e.g. https://login.example.com/realms/acme").optional(),
    OIDC_CLIENT_ID: z.string().min(1).optional(),
    OIDC_CLIENT_SECRET: z.string().min(1).optional(),
    /** Shown on the button: "Sign in with <name>". */
    OIDC_NAME: z.string().min(1).max(40).default("SSO"),
    /** Key of the team a first-time single sign-on user joins (as a member). */
    OIDC_DEFAULT_TEAM: z.string().min(1).optional(),
    /** Background workers (webhook deliveries, mail, health recomputes) in this instance; off to only serve pages. */
    BACKGROUND_WORKERS: z.enum(["on", "off"], { message: "must be on or off" }).default("on"),
    // Notifications by mail (issue 18): an SMTP server URL (smtp://user:pass@host:587, smtps://…) and the sender.
    SMTP_URL: z.string().regex(/^smtps?:\/\/[^\s]+$/, "must be an smtp:// or smtps:// URL, e.g. smtp://user:pass@mail.example.com:587").optional(),
    MAIL_FROM: z.string().min(3, "must be a sender such as Customer 360 <c360@example.com>").default("Customer 360 <no-reply@customer360.invalid>"),
    // Webhooks (issue 17): hosts allowed although private or loopback, and over http (comma-separated,
    // e.g. 127.0.0.1 for tests and self-hosted receivers); the first retry's delay, doubled each time.
    WEBHOOK_ALLOW_HOSTS: z.string().optional(),
    WEBHOOK_RETRY_BASE_SECONDS: z.coerce.number({ message: "must be a number of seconds" }).min(0.1).max(3600).default(30),
  })
  .transform((e) => {
    const demoMode = e.DEMO_MODE ?? !e.DATABASE_URL;
    return {
      ...e,
      demoMode,
      seedOnStart: e.SEED_ON_START ?? (demoMode || e.NODE_ENV === "development"),
      storage: e.S3_BUCKET ? ("s3" as const) : ("local" as const),
      /** Served over https (PUBLIC_URL or AUTH_URL says so): Secure cookies and HSTS. Unset: auto. */
      oidc: e.OIDC_ISSUER && e.OIDC_CLIENT_ID && e.OIDC_CLIENT_SECRET
        ? { issuer: e.OIDC_ISSUER, clientId: e.OIDC_CLIENT_ID, clientSecret: e.OIDC_CLIENT_SECRET, name: e.OIDC_NAME, defaultTeam: e.OIDC_DEFAULT_TEAM }
        : null,
      https: e.PUBLIC_URL || e.AUTH_URL ? new URL((e.PUBLIC_URL ?? e.AUTH_URL)!).protocol === "https:" : undefined,
    };
  })
  .superRefine((e, ctx) => {
    const oidc = { OIDC_ISSUER: e.OIDC_ISSUER, OIDC_CLIENT_ID: e.OIDC_CLIENT_ID, OIDC_CLIENT_SECRET: e.OIDC_CLIENT_SECRET };
    if (Object.values(oidc).some(Boolean)) {
      for (const [name, value] of Object.entries(oidc)) {
        if (!value) ctx.addIssue({ code: "custom", path: [name], message: "is required when single sign-on is configured (OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET go together)" });
      }
    }
    if (e.NODE_ENV === "production" && !e.demoMode && !e.AUTH_SECRET) {
      ctx.addIssue({ code: "custom", path: ["AUTH_SECRET"], message: "is required outside demo mode (openssl rand -base64 32)" });
    }
    if (e.DATABASE_READ_URL && !e.DATABASE_URL) {
      ctx.addIssue({ code: "custom", path: ["DATABASE_READ_URL"], message: "needs DATABASE_URL (the primary it replicates)" });
    }
    if (e.SLACK_SIGNING_SECRET && !e.SLACK_BOT_TOKEN) {
      ctx.addIssue({ code: "custom", path: ["SLACK_BOT_TOKEN"], message: "is required when SLACK_SIGNING_SECRET is set" });
    }
  });

export type Env = z.infer<typeof schema>;

/** Parses the environment once; a bad value fails start-up with the variable's name. */
export function readEnv(source: Record<string, string | undefined> = process.env): Env {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".") || "(env)"} ${i.message}`);
    throw new Error(`Invalid environment configuration:\n${lines.join("\n")}`);
  }
  return parsed.data;
}

let cached: Env | undefined;
export function env(): Env {
  cached ??= readEnv();
  return cached;
}

/** Used only when no AUTH_SECRET is given in demo mode, so the two-command quick start works. */
export const DEMO_AUTH_SECRET = "customer-360-demo-secret-not-for-production";
