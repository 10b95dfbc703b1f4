import { describe, expect, it } from "vitest";
import { formatBytes, formatMegabytes, npsScore, relativeTime } from "@/lib/format";
import { httpUrl, isHttpUrl } from "@/lib/urls";

describe("formatBytes", () => {
  it("picks the unit and keeps one decimal below 10", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(1536)).toBe("1.5 KB");
    expect(formatBytes(20 * 1024)).toBe("20 KB");
    expect(formatBytes(3.25 * 1024 * 1024)).toBe("3.3 MB");
    expect(formatBytes(5 * 1024 ** 3)).toBe("5.0 GB");
    expect(formatBytes(2048 * 1024 ** 3)).toBe("2048 GB");
  });
  it("answers a dash for an unknown size", () => {
    expect(formatBytes(null)).toBe("—");
    expect(formatBytes(undefined)).toBe("—");
    expect(formatBytes(Number.NaN)).toBe("—");
  });
  it("states a limit in megabytes", () => {
    expect(formatMegabytes(50 * 1024 * 1024)).toBe("50 MB");
    expect(formatMegabytes(512 * 1024)).toBe("0.5 MB");
  });
});

describe("relativeTime", () => {
  const now = new Date("2026-11-16T12:00:00Z");
  const before = (seconds: number) => new Date(now.getTime() - seconds * 1000);
  it("reads coarse units relative to now", () => {
    expect(relativeTime(before(10), now)).toBe("just now");
    expect(relativeTime(before(5 * 60), now)).toBe("5 minutes ago");
    expect(relativeTime(before(3 * 3600), now)).toBe("3 hours ago");
    expect(relativeTime(before(86_400), now)).toBe("yesterday");
    expect(relativeTime(before(12 * 86_400), now)).toBe("12 days ago");
    expect(relativeTime(before(90 * 86_400), now)).toBe("3 months ago");
    expect(relativeTime(before(800 * 86_400), now)).toBe("2 years ago");
    expect(relativeTime(new Date(now.getTime() + 2 * 86_400_000), now)).toBe("in 2 days");
  });
  it("takes an ISO string as well as a Date", () => {
    expect(relativeTime("2026-11-13T12:00:00Z", now)).toBe("3 days ago");
  });
});

describe("npsScore", () => {
  it("is promoters minus detractors over responses, in percent", () => {
    expect(npsScore({ responses: 10, promoters: 6, detractors: 1 })).toBe(50);
    expect(npsScore({ responses: 3, promoters: 0, detractors: 3 })).toBe(-100);
    expect(npsScore({ responses: 3, promoters: 1, detractors: 0 })).toBe(33);
  });
  it("is null without responses", () => {
    expect(npsScore({ responses: 0, promoters: 0, detractors: 0 })).toBeNull();
  });
});

describe("isHttpUrl / httpUrl", () => {
  it("accepts absolute http(s) addresses with a host and normalises them", () => {
    expect(isHttpUrl("https://example.com/a?b=1")).toBe(true);
    expect(httpUrl("HTTP://Example.com")).toBe("http://example.com/");
  });
  it("refuses other schemes, relative paths, no host and non-strings", () => {
    for (const value of ["javascript:alert(1)", "ftp://example.com", "mailto:a@b.c", "data:text/html,x", "/accounts/1", "https://", "http://", "not a url", "", undefined, null, 42]) {
      expect(isHttpUrl(value), String(value)).toBe(false);
    }
  });
});
