import "server-only";
import type { Worker } from "@/lib/background/workers";
import { env } from "@/lib/env";
import { publicBaseUrl } from "./config";
import { deliverQueuedMail } from "./deliver";
import { queueDigests } from "./outbox";

const BATCH = 20;

/** The mail workers: delivery of queued mail, and the daily digests. Nothing to do without SMTP_URL. */
export function mailWorkers(): Worker[] {
  return [
    {
      name: "mail",
      idleMs: 3_000,
      async run() {
        const smtpUrl = env().SMTP_URL;
        if (!smtpUrl) return false;
        const { getDb } = await import("@/db");
        const report = await deliverQueuedMail(await getDb(), { smtpUrl, from: env().MAIL_FROM, baseUrl: publicBaseUrl(), limit: BATCH });
        // A batch that only failed (server down) waits for its backoff instead of spinning.
        return report.claimed === BATCH && report.failed < report.claimed;
      },
    },
    {
      name: "mail-digest",
      idleMs: 5 * 60_000,
      async run() {
        if (!env().SMTP_URL) return false;
        const { getDb } = await import("@/db");
        return (await queueDigests(await getDb())) >= 200;
      },
    },
  ];
}
