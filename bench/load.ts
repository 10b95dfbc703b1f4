/**
 * A closed-loop HTTP load generator (what autocannon does, without the dependency): `connections`
 * keep-alive sockets, each sending the next request as soon as the previous response has been read
 * to its last byte, for `durationMs`. Latency is measured per request from sending it to the end of
 * the (streamed) body, with sub-millisecond resolution. Every response is checked — status and body
 * — so a redirect to /login or an error page can never pass as a fast profile.
 */
import http from "node:http";

export type LoadOptions = {
  url: string;
  connections: number;
  durationMs: number;
  headers?: Record<string, string>;
  /** Returns null for a good response, else why it is not (the run then fails). */
  check: (status: number, body: Buffer, headers: http.IncomingHttpHeaders) => string | null;
  /** Request timeout per request (default 30 s). */
  timeoutMs?: number;
  /** POST with a body (the MCP bench, bench/api.ts); GET without. */
  method?: "GET" | "POST";
  body?: string;
};

export type LoadResult = {
  connections: number;
  /** The measuring window(s), in ms: what `rps` divides by. */
  windowMs: number;
  /** Wall time including the requests still in flight at the end of the window. */
  durationMs: number;
  /** Good responses to requests sent within the window (the latency samples). */
  requests: number;
  /** Of those, the ones completed within the window (what `rps` counts). */
  completed: number;
  /** Requests whose response failed the check, and transport errors/timeouts. */
  bad: number;
  errors: number;
  firstProblem: string | null;
  rps: number;
  /** Every latency recorded, in ms, sorted (to merge runs). */
  samples: number[];
  bytesPerRequest: number;
  latencyMs: { mean: number; p50: number; p90: number; p95: number; p99: number; max: number; min: number };
};

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  // Nearest-rank: the smallest value with at least p% of the samples at or below it.
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export function median(values: number[]): number {
  return percentile([...values].sort((a, b) => a - b), 50);
}

type One = { status: number; body: Buffer; headers: http.IncomingHttpHeaders };

function requestOnce(agent: http.Agent, url: URL, headers: Record<string, string>, timeoutMs: number, method: "GET" | "POST" = "GET", body?: string): Promise<One> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { agent, protocol: url.protocol, hostname: url.hostname, port: url.port, path: url.pathname + url.search, method, headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), headers: res.headers }));
        res.on("error", reject);
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`timed out after ${timeoutMs} ms`)));
    req.on("error", reject);
    req.end(body);
  });
}

/** One GET with the same client code, for checks outside a load run. */
export async function fetchOnce(url: string, headers: Record<string, string> = {}, timeoutMs = 60_000, method: "GET" | "POST" = "GET", body?: string): Promise<One & { ms: number }> {
  const agent = new http.Agent({ keepAlive: false });
  const started = performance.now();
  try {
    const one = await requestOnce(agent, new URL(url), headers, timeoutMs, method, body);
    return { ...one, ms: performance.now() - started };
  } finally {
    agent.destroy();
  }
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const url = new URL(options.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections, maxFreeSockets: options.connections });
  const headers = { accept: "text/html", ...(options.headers ?? {}) };
  const timeoutMs = options.timeoutMs ?? 30_000;
  const latencies: number[] = [];
  let bad = 0;
  let errors = 0;
  let bytes = 0;
  let firstProblem: string | null = null;
  let completed = 0;
  const started = performance.now();
  const deadline = started + options.durationMs;

  const worker = async () => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      try {
        const res = await requestOnce(agent, url, headers, timeoutMs, options.method, options.body);
        const t1 = performance.now();
        const problem = options.check(res.status, res.body, res.headers);
        if (problem) {
          bad++;
          firstProblem ??= problem;
        } else {
          // Every request sent within the window counts, also one still in flight when it closed,
          // so slow responses are not left out of the percentiles; requests/s counts only those
          // completed within the window.
          latencies.push(t1 - t0);
          bytes += res.body.length;
          if (t1 <= deadline) completed++;
        }
      } catch (error) {
        errors++;
        firstProblem ??= (error as Error).message;
      }
    }
  };
  await Promise.all(Array.from({ length: options.connections }, worker));
  const elapsed = performance.now() - started;
  agent.destroy();

  return summarizeRuns([
    { connections: options.connections, windowMs: options.durationMs, elapsedMs: elapsed, latencies, completed, bad, errors, firstProblem, bytes },
  ]);
}

type RawRun = {
  connections: number;
  windowMs: number;
  elapsedMs: number;
  latencies: number[];
  /** Responses completed within the window. */
  completed: number;
  bad: number;
  errors: number;
  firstProblem: string | null;
  bytes: number;
};

function summarizeRuns(runs: RawRun[]): LoadResult {
  const sorted = runs.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const windowMs = runs.reduce((s, r) => s + r.windowMs, 0);
  const bytes = runs.reduce((s, r) => s + r.bytes, 0);
  const mean = sorted.reduce((s, v) => s + v, 0) / Math.max(1, sorted.length);
  return {
    connections: runs[0]?.connections ?? 0,
    windowMs,
    durationMs: runs.reduce((s, r) => s + r.elapsedMs, 0),
    requests: sorted.length,
    completed: runs.reduce((s, r) => s + r.completed, 0),
    bad: runs.reduce((s, r) => s + r.bad, 0),
    errors: runs.reduce((s, r) => s + r.errors, 0),
    firstProblem: runs.find((r) => r.firstProblem)?.firstProblem ?? null,
    // Responses completed within the windows, per second of the windows.
    rps: runs.reduce((s, r) => s + r.completed, 0) / (windowMs / 1000),
    bytesPerRequest: sorted.length ? Math.round(bytes / sorted.length) : 0,
    samples: sorted,
    latencyMs: {
      mean,
      min: sorted[0] ?? NaN,
      p50: percentile(sorted, 50),
      p90: percentile(sorted, 90),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
      max: sorted.at(-1) ?? NaN,
    },
  };
}

/** One result from several runs of the same case (e.g. slices interleaved with other cases). */
export function mergeResults(results: LoadResult[]): LoadResult {
  return summarizeRuns(
    results.map((r) => ({
      connections: r.connections,
      windowMs: r.windowMs,
      elapsedMs: r.durationMs,
      latencies: r.samples,
      completed: r.completed,
      bad: r.bad,
      errors: r.errors,
      firstProblem: r.firstProblem,
      bytes: r.bytesPerRequest * r.requests,
    })),
  );
}
