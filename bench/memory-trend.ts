/**
 * The server's resident memory over a soak: a sample every ~10 s, and the trend over the second
 * half of the run (the first half holds the warm-up: JIT, module loading, caches and pools filling).
 *
 * "Flat" means the least-squares slope over the second half is below FLAT_MB_PER_MIN. Why 5 MB/min:
 * the full soak (50 users) makes ~100 requests a second, so a leak of 1 KB per request (a listener
 * or cache entry kept per request) grows ~6 MB/min and is flagged, while the garbage collector's
 * sawtooth (tens of MB up and down within a minute) averages out over a 2.5-minute half and stays
 * well under it (a run shorter than 2 minutes is not judged: its second half is still warm-up).
 * The slope per request (KB retained per request) is printed beside it, because a
 * short, lightly loaded run makes fewer requests and the same threshold is looser there.
 */
import { execFileSync } from "node:child_process";

export const FLAT_MB_PER_MIN = 5;

export type MemorySample = { s: number; mb: number };

/** Resident memory of a process group's processes (next and next-server), in MB. */
export function groupRssMb(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const out = execFileSync("ps", ["-o", "rss=", "-s", String(pid)], { encoding: "utf8" });
    return Math.round(out.split("\n").reduce((sum, line) => sum + (Number(line.trim()) || 0), 0) / 1024);
  } catch {
    return 0;
  }
}

/** Seconds between samples: ~10 s on the full soak, more often on a short run so its halves have points. */
export function sampleEverySeconds(runSeconds: number): number {
  return Math.min(10, Math.max(2, Math.round(runSeconds / 30)));
}

/** Least-squares slope of mb over time, in MB per minute (0 with fewer than 2 points). */
export function slopeMbPerMinute(samples: readonly MemorySample[]): number {
  if (samples.length < 2) return 0;
  const n = samples.length;
  const mx = samples.reduce((s, p) => s + p.s, 0) / n;
  const my = samples.reduce((s, p) => s + p.mb, 0) / n;
  const sxx = samples.reduce((s, p) => s + (p.s - mx) ** 2, 0);
  if (sxx === 0) return 0;
  const sxy = samples.reduce((s, p) => s + (p.s - mx) * (p.mb - my), 0);
  return Math.round((sxy / sxx) * 60 * 100) / 100;
}

export function memoryTrend(samples: readonly MemorySample[], runSeconds: number, requests: number) {
  const secondHalf = samples.filter((p) => p.s >= runSeconds / 2);
  const slope = slopeMbPerMinute(secondHalf);
  const requestsPerMinute = runSeconds > 0 ? (requests / runSeconds) * 60 : 0;
  return {
    every_s: sampleEverySeconds(runSeconds),
    second_half_points: secondHalf.length,
    second_half_slope_mb_per_min: slope,
    kb_per_request: requestsPerMinute ? Math.round(((slope * 1024) / requestsPerMinute) * 100) / 100 : null,
    flat_threshold_mb_per_min: FLAT_MB_PER_MIN,
    // A second half shorter than a minute is mostly warm-up and GC noise: its slope is shown, not judged.
    flat: secondHalf.length >= 3 && runSeconds / 2 >= 60 ? slope < FLAT_MB_PER_MIN : null,
  };
}
