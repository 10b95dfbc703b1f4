/**
 * Global set-up of the `e2e` project: a throwaway PostgreSQL server with an empty database, and the
 * production build (`next start`) on it, which migrates and seeds the demo data itself on start —
 * the same path as a team pointing DATABASE_URL at an empty database. Tests get `baseURL`, and
 * `e2eDatabaseUrl` to arrange or check rows directly. The quick-start path on PGlite has its own
 * test (test/e2e/quick-start.test.ts).
 */
import pg from "pg";
import type { TestProject } from "vitest/node";
import { startAppServer } from "../support/app-server";
import { startPostgres } from "../support/postgres";
import { startSmtpSink } from "../support/smtp-sink";

declare module "vitest" {
  export interface ProvidedContext {
    /** Base URL of the running production server, e.g. http://127.0.0.1:40123 */
    baseURL: string;
    /** The e2e server's database, for tests that arrange or check rows directly. */
    e2eDatabaseUrl: string;
    /** Why the server did not start ("" when it did); test/support/browser.ts fails with it. */
    e2eServerError: string;
    /** Folder where the loopback SMTP server the app mails through keeps each mail (.eml); issue 18. */
    e2eMailDir: string;
  }
}

/**
 * A failed start does not throw: vitest would then abort the whole run, unit tests included, with a
 * misleading "No test files found". It provides the reason as `e2eServerError` and an unreachable
 * `baseURL` instead, so every browser test fails with that reason (see launchBrowser/newPage).
 */
export default async function setup(project: TestProject) {
  let postgres: Awaited<ReturnType<typeof startPostgres>> | undefined;
  try {
    postgres = await startPostgres();
    const admin = new pg.Client({ connectionString: postgres.url });
    await admin.connect();
    await admin.query("create database c360_e2e");
    await admin.end();
    const url = new URL(postgres.url);
    url.pathname = "/c360_e2e";
    // Notifications by mail (issue 18): the server sends through a real SMTP server on loopback.
    const smtp = await startSmtpSink();
    project.provide("e2eMailDir", smtp.dir);
    const server = await startAppServer(url.toString(), { SMTP_URL: smtp.url, MAIL_FROM: "Customer 360 <c360@e2e.test>" });
    project.provide("baseURL", server.baseURL);
    project.provide("e2eDatabaseUrl", url.toString());
    project.provide("e2eServerError", "");
    return async () => {
      await server.stop();
      await smtp.stop();
      await postgres?.stop();
    };
  } catch (error) {
    await postgres?.stop().catch(() => {});
    const message = (error as Error).message;
    console.error(`[e2e] the app server did not start; every e2e test will fail:\n${message}`);
    project.provide("e2eServerError", message);
    project.provide("baseURL", "http://127.0.0.1:1");
    project.provide("e2eDatabaseUrl", "");
    project.provide("e2eMailDir", "");
    return undefined;
  }
}
