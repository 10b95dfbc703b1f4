import { describe, expect, it } from "vitest";
import { readEnv } from "@/lib/env";

const PG_URL = "postgres://c360:secret@127.0.0.1:5432/c360";
const SECRET = "0123456789abcdef0123456789abcdef";

describe("readEnv", () => {
  it("rejects a DATABASE_URL that is not a postgres URL, naming the variable", () => {
    expect(() => readEnv({ DATABASE_URL: "mysql://root@localhost/db" })).toThrow(/DATABASE_URL/);
    expect(() => readEnv({ DATABASE_URL: "not a url" })).toThrow(/DATABASE_URL/);
  });

  it("accepts postgres:// and postgresql:// URLs", () => {
    expect(readEnv({ DATABASE_URL: PG_URL }).DATABASE_URL).toBe(PG_URL);
    expect(readEnv({ DATABASE_URL: "postgresql://u@h/db" }).DATABASE_URL).toBe("postgresql://u@h/db");
  });

  it("takes an optional DATABASE_READ_URL (a replica) only as a postgres URL and only beside DATABASE_URL", () => {
    expect(readEnv({ DATABASE_URL: PG_URL, DATABASE_READ_URL: "postgres://c360@replica:5432/c360" }).DATABASE_READ_URL).toBe("postgres://c360@replica:5432/c360");
    expect(readEnv({ DATABASE_URL: PG_URL }).DATABASE_READ_URL).toBeUndefined();
    expect(() => readEnv({ DATABASE_URL: PG_URL, DATABASE_READ_URL: "replica:5432" })).toThrow(/DATABASE_READ_URL/);
    expect(() => readEnv({ DATABASE_READ_URL: "postgres://c360@replica:5432/c360" })).toThrow(/DATABASE_READ_URL needs DATABASE_URL/);
  });

  it("defaults to demo mode without DATABASE_URL and to real mode with it", () => {
    expect(readEnv({}).demoMode).toBe(true);
    expect(readEnv({ DATABASE_URL: PG_URL }).demoMode).toBe(false);
  });

  it("lets DEMO_MODE override the default either way", () => {
    expect(readEnv({ DEMO_MODE: "false" }).demoMode).toBe(false);
    expect(readEnv({ DEMO_MODE: "0" }).demoMode).toBe(false);
    expect(readEnv({ DATABASE_URL: PG_URL, DEMO_MODE: "true" }).demoMode).toBe(true);
  });

  it("rejects a DEMO_MODE that is not a boolean, naming the variable", () => {
    expect(() => readEnv({ DEMO_MODE: "maybe" })).toThrow(/DEMO_MODE/);
  });

  it("treats empty values as unset", () => {
    const e = readEnv({ DATABASE_URL: "", DEMO_MODE: "" });
    expect(e.DATABASE_URL).toBeUndefined();
    expect(e.demoMode).toBe(true);
  });

  it("requires AUTH_SECRET in production outside demo mode, naming it", () => {
    expect(() => readEnv({ NODE_ENV: "production", DATABASE_URL: PG_URL })).toThrow(/AUTH_SECRET/);
    expect(() => readEnv({ NODE_ENV: "production", DEMO_MODE: "false" })).toThrow(/AUTH_SECRET/);
    expect(readEnv({ NODE_ENV: "production", DATABASE_URL: PG_URL, AUTH_SECRET: SECRET }).AUTH_SECRET).toBe(SECRET);
  });

  it("does not require AUTH_SECRET in demo mode or outside production", () => {
    expect(readEnv({ NODE_ENV: "production" }).demoMode).toBe(true);
    expect(readEnv({ NODE_ENV: "development", DATABASE_URL: PG_URL }).demoMode).toBe(false);
  });

  it("rejects a too-short AUTH_SECRET, naming it", () => {
    expect(() => readEnv({ AUTH_SECRET: "short" })).toThrow(/AUTH_SECRET/);
  });

  it("checks the Slack app's variables, naming them", () => {
    expect(readEnv({}).SLACK_API_URL).toBe("https://slack.com/api");
    expect(() => readEnv({ SLACK_SIGNING_SECRET: "0123456789abcdef0123" })).toThrow(/SLACK_BOT_TOKEN is required when SLACK_SIGNING_SECRET is set/);
    expect(() => readEnv({ SLACK_SIGNING_SECRET: "0123456789abcdef0123", SLACK_BOT_TOKEN: "token" })).toThrow(/SLACK_BOT_TOKEN/);
    expect(() => readEnv({ SLACK_SIGNING_SECRET: "short", SLACK_BOT_TOKEN: "xoxb-1" })).toThrow(/SLACK_SIGNING_SECRET/);
    expect(() => readEnv({ SLACK_API_URL: "slack.com" })).toThrow(/SLACK_API_URL/);
    expect(() => readEnv({ SLACK_UNFURL_AS: "not an email" })).toThrow(/SLACK_UNFURL_AS/);
    const slack = readEnv({ SLACK_SIGNING_SECRET: "0123456789abcdef0123", SLACK_BOT_TOKEN: "xoxb-1-2", SLACK_UNFURL_AS: "viewer@demo.test" });
    expect(slack).toMatchObject({ SLACK_BOT_TOKEN: "xoxb-1-2", SLACK_UNFURL_AS: "viewer@demo.test" });
  });

  it("marks cookies Secure (and sends HSTS) when PUBLIC_URL or AUTH_URL is https, and leaves it automatic otherwise", () => {
    expect(readEnv({ PUBLIC_URL: "https://c360.example.com" }).https).toBe(true);
    expect(readEnv({ AUTH_URL: "https://c360.example.com" }).https).toBe(true);
    expect(readEnv({ PUBLIC_URL: "http://127.0.0.1:3000" }).https).toBe(false);
    expect(readEnv({}).https).toBeUndefined();
    expect(() => readEnv({ AUTH_URL: "nope" })).toThrow(/AUTH_URL/);
  });

  it("configures single sign-on only with issuer, client id and secret together, naming what is missing", () => {
    const oidc = { OIDC_ISSUER: "https://login.example.com/realms/acme", OIDC_CLIENT_ID: "c360", OIDC_CLIENT_SECRET: "s3cret" };
    expect(readEnv(oidc).oidc).toEqual({ issuer: oidc.OIDC_ISSUER, clientId: "c360", clientSecret: "s3cret", name: "SSO", defaultTeam: undefined });
    expect(readEnv({}).oidc).toBeNull();
    expect(() => readEnv({ OIDC_ISSUER: oidc.OIDC_ISSUER })).toThrow(/OIDC_CLIENT_ID[\s\S]*OIDC_CLIENT_SECRET/);
    expect(() => readEnv({ ...oidc, OIDC_ISSUER: "not a url" })).toThrow(/OIDC_ISSUER/);
  });
});
