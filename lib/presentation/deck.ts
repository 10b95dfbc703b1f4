import "server-only";
import PptxGenJS from "pptxgenjs";
import { ancestorsOf, isEmptyValue, type AccountSummary } from "@/lib/dal/accounts";
import { attributesOf } from "@/lib/dal/attributes";
import { openTasks } from "@/lib/dal/activity";
import { healthHistory, healthOf, summarizeWeeks, type HealthBand } from "@/lib/dal/health";
import { assignedMembers } from "@/lib/dal/people";
import { lastDays, usageSeries, valueMetrics } from "@/lib/dal/usage";
import type { Ctx } from "@/lib/dal/viewer";
import { formatAttribute, formatDate, formatNumber } from "@/lib/format";

/**
 * The profile as a PowerPoint deck (pptxgenjs): a title slide, key information, health (overall,
 * dimensions, a 52-week grid of coloured cells with upsell markers), usage over the last 30 days
 * (top modules as a chart, top users, events per day) and the open tasks. Everything is read
 * through the data-access layer, so the viewer sees in the deck exactly what the profile shows.
 */

const BAND_COLOR: Record<HealthBand, string> = { good: "16A34A", average: "D97706", poor: "DC2626" };
const BAND_LABEL: Record<HealthBand, string> = { good: "Good", average: "Average", poor: "Poor" };
const MISSING = "E2E8F0";
const INK = "0F172A";
const MUTED = "475569";
const BRAND = "1D4ED8";
const FONT = "Calibri";

export type DeckData = Awaited<ReturnType<typeof loadDeckData>>;

export async function loadDeckData(ctx: Ctx, account: AccountSummary, now: Date = new Date()) {
  const window = lastDays(30, now);
  const [crumbs, attributes, team, health, weeks, metrics, series, tasks] = await Promise.all([
    ancestorsOf(ctx, account),
    attributesOf(ctx, account),
    assignedMembers(ctx, account),
    healthOf(ctx, account),
    healthHistory(ctx, account, 52, now),
    valueMetrics(ctx, account, window, 8),
    usageSeries(ctx, account, { ...window, bucket: "day", maxSeries: 1, maxUsers: 1 }),
    openTasks(ctx, account, 12),
  ]);
  return { account, crumbs, attributes, team, health, weeks, metrics, series, tasks, now, viewerName: ctx.viewer.name };
}

function header(slide: PptxGenJS.Slide, title: string, subtitle: string) {
  slide.addShape("rect", { x: 0, y: 0, w: 13.333, h: 0.12, fill: { color: BRAND }, line: { color: BRAND } });
  slide.addText(title, { x: 0.5, y: 0.3, w: 9, h: 0.6, fontFace: FONT, fontSize: 26, bold: true, color: INK });
  slide.addText(subtitle, { x: 7.8, y: 0.35, w: 5.0, h: 0.5, fontFace: FONT, fontSize: 12, color: MUTED, align: "right" });
}

function footer(slide: PptxGenJS.Slide, data: DeckData, page: number) {
  slide.addText(`${data.account.name} · ${formatDate(data.now)} · ${page}`, {
    x: 0.5,
    y: 7.05,
    w: 12.3,
    h: 0.3,
    fontFace: FONT,
    fontSize: 9,
    color: MUTED,
    align: "right",
  });
}

const cell = (text: string, options: PptxGenJS.TableCellProps = {}): PptxGenJS.TableCell => ({ text, options });
const headCell = (text: string, align: "left" | "right" = "left") => cell(text, { bold: true, color: "FFFFFF", fill: { color: "334155" }, align });

export function breadcrumb(data: Pick<DeckData, "crumbs" | "account">): string {
  return [...data.crumbs.map((c) => c.name ?? `(${c.typeName})`), data.account.name].join("  ›  ");
}

export async function buildDeck(data: DeckData): Promise<Buffer> {
  const pptx = new PptxGenJS();
  pptx.layout = "LAYOUT_WIDE"; // 13.333 × 7.5 in
  pptx.author = data.viewerName;
  pptx.company = "Customer 360";
  pptx.title = `${data.account.name} — account profile`;
  const { account, health } = data;
  const subtitle = `${account.typeName} · ${formatDate(data.now)}`;

  // 1. Title ---------------------------------------------------------------------------------
  const title = pptx.addSlide();
  title.background = { color: "F8FAFC" };
  title.addShape("rect", { x: 0, y: 0, w: 0.35, h: 7.5, fill: { color: BRAND }, line: { color: BRAND } });
  title.addText(account.name, { x: 0.9, y: 2.2, w: 11.8, h: 1.2, fontFace: FONT, fontSize: 40, bold: true, color: INK, fit: "shrink" });
  title.addText(breadcrumb(data), { x: 0.9, y: 3.4, w: 11.8, h: 0.6, fontFace: FONT, fontSize: 16, color: MUTED });
  title.addText(`${account.typeName} profile · ${formatDate(data.now)}`, { x: 0.9, y: 4.1, w: 11.8, h: 0.5, fontFace: FONT, fontSize: 16, color: MUTED });
  if (health.latest) {
    title.addText(`Health: ${BAND_LABEL[health.latest.band]} (${Math.round(health.latest.score)})`, {
      x: 0.9,
      y: 4.8,
      w: 4,
      h: 0.5,
      fontFace: FONT,
      fontSize: 14,
      bold: true,
      color: BAND_COLOR[health.latest.band],
    });
  }
  title.addText(`Prepared by ${data.viewerName} with Customer 360`, { x: 0.9, y: 6.6, w: 11.8, h: 0.4, fontFace: FONT, fontSize: 11, color: MUTED });

  // 2. Key information -------------------------------------------------------------------------
  const info = pptx.addSlide();
  header(info, "Key information", subtitle);
  const keyInfo = data.attributes.filter((a) => a.keyInfo && !isEmptyValue(a.value));
  const shown = (keyInfo.length ? keyInfo : data.attributes.filter((a) => !isEmptyValue(a.value))).slice(0, 14);
  const infoRows: PptxGenJS.TableRow[] = [[headCell("Field"), headCell("Value")]];
  infoRows.push([cell("Type", { bold: true }), cell(account.typeName)]);
  for (const a of shown) infoRows.push([cell(a.label, { bold: true }), cell(formatAttribute(a.dataType, a.value))]);
  info.addTable(infoRows, { x: 0.5, y: 1.2, w: 7.4, colW: [2.8, 4.6], fontFace: FONT, fontSize: 12, color: INK, border: { type: "solid", pt: 0.5, color: "CBD5E1" }, autoPage: false });
  info.addText("Team", { x: 8.4, y: 1.2, w: 4.4, h: 0.4, fontFace: FONT, fontSize: 16, bold: true, color: INK });
  info.addText(
    data.team.length
      ? data.team.slice(0, 10).map((m) => ({ text: `${m.name} — ${m.roles.join(", ")}`, options: { bullet: true, breakLine: true } }))
      : [{ text: "No one is assigned yet.", options: {} }],
    { x: 8.4, y: 1.65, w: 4.4, h: 3.5, fontFace: FONT, fontSize: 12, color: INK, valign: "top" },
  );
  footer(info, data, 2);

  // 3. Health ------------------------------------------------------------------------------------
  const hs = pptx.addSlide();
  header(hs, "Health", subtitle);
  if (health.latest) {
    const color = BAND_COLOR[health.latest.band];
    hs.addShape("roundRect", { x: 0.5, y: 1.2, w: 3.2, h: 1.6, fill: { color }, line: { color }, rectRadius: 0.1 });
    hs.addText(
      [
        { text: `${Math.round(health.latest.score)}`, options: { fontSize: 40, bold: true, breakLine: true } },
        { text: `${BAND_LABEL[health.latest.band]} · week of ${formatDate(health.latest.weekStart)}`, options: { fontSize: 12 } },
      ],
      { x: 0.5, y: 1.2, w: 3.2, h: 1.6, fontFace: FONT, color: "FFFFFF", align: "center", valign: "middle" },
    );
  } else {
    hs.addText(health.mix ? "No score of its own: see the mix of accounts below." : "No health score yet.", { x: 0.5, y: 1.2, w: 3.2, h: 1.6, fontFace: FONT, fontSize: 14, color: MUTED });
  }
  if (health.mix) {
    hs.addText(`Below this account (${formatNumber(health.mix.descendants)}, rolled up): ${health.mix.good} good · ${health.mix.average} average · ${health.mix.poor} poor`, {
      x: 0.5,
      y: 2.9,
      w: 3.4,
      h: 0.8,
      fontFace: FONT,
      fontSize: 11,
      color: MUTED,
    });
  }
  const dimensionRows: PptxGenJS.TableRow[] = [[headCell("Dimension"), headCell("Weight", "right"), headCell("Score", "right"), headCell("Band")]];
  for (const d of health.dimensions) {
    dimensionRows.push([
      cell(d.label),
      cell(weightText(d.weight, health.dimensions), { align: "right" }),
      cell(d.score === null ? "—" : String(Math.round(d.score)), { align: "right" }),
      cell(d.band ? BAND_LABEL[d.band] : "—", d.band ? { bold: true, color: BAND_COLOR[d.band] } : {}),
    ]);
  }
  if (health.dimensions.length) {
    hs.addTable(dimensionRows, { x: 4.2, y: 1.2, w: 8.6, colW: [4.1, 1.3, 1.3, 1.9], fontFace: FONT, fontSize: 12, color: INK, border: { type: "solid", pt: 0.5, color: "CBD5E1" }, autoPage: false });
  }
  drawWeekGrid(hs, data);
  footer(hs, data, 3);

  // 4. Usage ---------------------------------------------------------------------------------------
  const us = pptx.addSlide();
  const { metrics, series } = data;
  header(us, "Usage — last 30 days", subtitle);
  us.addText(
    `${formatNumber(metrics.total)} events${metrics.descendants ? ` · rolled up with ${formatNumber(metrics.descendants)} account${metrics.descendants === 1 ? "" : "s"} below` : ""}`,
    { x: 0.5, y: 0.9, w: 9, h: 0.35, fontFace: FONT, fontSize: 12, color: MUTED },
  );
  if (metrics.topModules.length) {
    us.addText("Top modules", { x: 0.5, y: 1.3, w: 6, h: 0.35, fontFace: FONT, fontSize: 14, bold: true, color: INK });
    us.addChart(
      "bar",
      // Horizontal bars draw the first category at the bottom: reversed, the busiest is on top.
      [{ name: "Events", labels: metrics.topModules.map((m) => m.name).reverse(), values: metrics.topModules.map((m) => m.events).reverse() }],
      {
        x: 0.5,
        y: 1.65,
        w: 6.2,
        h: 2.9,
        barDir: "bar",
        chartColors: [BRAND],
        catAxisLabelFontSize: 10,
        valAxisLabelFontSize: 9,
        showValue: true,
        dataLabelFontSize: 9,
        dataLabelFormatCode: "#,##0",
        valAxisLabelFormatCode: "#,##0",
      },
    );
  } else {
    us.addText("No usage in the last 30 days.", { x: 0.5, y: 1.7, w: 6, h: 0.5, fontFace: FONT, fontSize: 14, color: MUTED });
  }
  const userRows: PptxGenJS.TableRow[] = [[headCell("Top users"), headCell("Events", "right"), headCell("Last active")]];
  for (const u of metrics.topUsers.slice(0, 8)) userRows.push([cell(u.name), cell(formatNumber(u.events), { align: "right" }), cell(formatDate(u.lastActive))]);
  if (metrics.topUsers.length) {
    us.addTable(userRows, { x: 7.1, y: 1.3, w: 5.7, colW: [2.9, 1.2, 1.6], fontFace: FONT, fontSize: 11, color: INK, border: { type: "solid", pt: 0.5, color: "CBD5E1" }, autoPage: false });
  }
  const daily = series.points.map((_, i) => series.modules.reduce((sum, m) => sum + (m.values[i] ?? 0), 0));
  if (daily.some((v) => v > 0)) {
    us.addText("Events per day", { x: 0.5, y: 4.65, w: 6, h: 0.35, fontFace: FONT, fontSize: 14, bold: true, color: INK });
    us.addChart("line", [{ name: "Events", labels: series.points.map((p) => formatDate(p).replace(/ \d{4}$/, "")), values: daily }], {
      x: 0.5,
      y: 4.95,
      w: 12.3,
      h: 2.05,
      chartColors: [BRAND],
      lineSize: 2,
      lineDataSymbol: "none",
      catAxisLabelFontSize: 8,
      valAxisLabelFontSize: 8,
      valAxisLabelFormatCode: "#,##0",
      catAxisLabelFrequency: "3",
    });
  }
  footer(us, data, 4);

  // 5. Open tasks ----------------------------------------------------------------------------------
  const ts = pptx.addSlide();
  header(ts, "Open tasks", subtitle);
  const { tasks, total } = data.tasks;
  if (tasks.length) {
    const rows: PptxGenJS.TableRow[] = [[headCell("Task"), headCell("Due"), headCell("Priority"), headCell("Assignee"), headCell("Status")]];
    const today = data.now.toISOString().slice(0, 10);
    for (const t of tasks) {
      const overdue = t.dueDate !== null && t.dueDate < today;
      rows.push([
        cell(t.title),
        cell(t.dueDate ? `${formatDate(t.dueDate)}${overdue ? " (overdue)" : ""}` : "—", overdue ? { color: "B91C1C", bold: true } : {}),
        cell(t.priority[0].toUpperCase() + t.priority.slice(1)),
        cell(t.assigneeName ?? "Unassigned"),
        cell(t.status === "in_progress" ? "In progress" : "Open"),
      ]);
    }
    ts.addTable(rows, { x: 0.5, y: 1.2, w: 12.3, colW: [5.4, 2.0, 1.3, 2.3, 1.3], fontFace: FONT, fontSize: 11, color: INK, border: { type: "solid", pt: 0.5, color: "CBD5E1" }, autoPage: false });
    if (total > tasks.length) ts.addText(`…and ${total - tasks.length} more open tasks.`, { x: 0.5, y: 6.6, w: 12, h: 0.35, fontFace: FONT, fontSize: 11, color: MUTED });
  } else {
    ts.addText("No open tasks.", { x: 0.5, y: 1.3, w: 12, h: 0.5, fontFace: FONT, fontSize: 14, color: MUTED });
  }
  footer(ts, data, 5);

  const out = await pptx.write({ outputType: "nodebuffer" });
  return Buffer.isBuffer(out) ? out : Buffer.from(out as ArrayBuffer);
}

/** Weights as percentages when they are fractions of one (0.35 → 35%), else as they are. */
function weightText(weight: number, all: { weight: number }[]): string {
  return all.every((d) => d.weight <= 1) ? `${Math.round(weight * 100)}%` : formatNumber(weight);
}

/** The last 52 weeks as coloured cells (oldest left), upsell weeks marked with a triangle above. */
function drawWeekGrid(slide: PptxGenJS.Slide, data: DeckData) {
  const weeks = data.weeks;
  const summary = summarizeWeeks(weeks);
  const x0 = 0.5;
  const y0 = 4.55;
  const gap = 0.03;
  const w = (12.3 - gap * (weeks.length - 1)) / Math.max(weeks.length, 1);
  const h = 0.7;
  slide.addText("Last 52 weeks", { x: x0, y: y0 - 0.75, w: 4, h: 0.35, fontFace: FONT, fontSize: 14, bold: true, color: INK });
  slide.addText(`${summary.good} good · ${summary.average} average · ${summary.poor} poor · ${summary.missing} not scored · ${summary.upsells} upsell week${summary.upsells === 1 ? "" : "s"}`, {
    x: 4.6,
    y: y0 - 0.75,
    w: 8.2,
    h: 0.35,
    fontFace: FONT,
    fontSize: 11,
    color: MUTED,
    align: "right",
  });
  weeks.forEach((week, i) => {
    const x = x0 + i * (w + gap);
    const color = week.band ? BAND_COLOR[week.band] : MISSING;
    slide.addShape("rect", { x, y: y0, w, h, fill: { color }, line: { color: "FFFFFF", width: 0.25 } });
    if (week.upsell) slide.addShape("triangle", { x: x + w * 0.15, y: y0 - 0.22, w: w * 0.7, h: 0.16, fill: { color: BRAND }, line: { color: BRAND } });
  });
  // Month labels under the first week of each month.
  let lastMonth = "";
  weeks.forEach((week, i) => {
    const month = formatDate(week.weekStart).split(" ")[1] ?? "";
    if (month !== lastMonth) {
      lastMonth = month;
      slide.addText(month, { x: x0 + i * (w + gap), y: y0 + h + 0.02, w: 0.6, h: 0.25, fontFace: FONT, fontSize: 8, color: MUTED });
    }
  });
  const legend: [string, string][] = [
    ["Good", BAND_COLOR.good],
    ["Average", BAND_COLOR.average],
    ["Poor", BAND_COLOR.poor],
    ["Not scored", MISSING],
  ];
  legend.forEach(([label, color], i) => {
    const x = x0 + i * 1.5;
    slide.addShape("rect", { x, y: y0 + h + 0.4, w: 0.2, h: 0.2, fill: { color }, line: { color } });
    slide.addText(label, { x: x + 0.25, y: y0 + h + 0.33, w: 1.2, h: 0.32, fontFace: FONT, fontSize: 10, color: INK });
  });
  slide.addShape("triangle", { x: x0 + 6.05, y: y0 + h + 0.43, w: 0.2, h: 0.15, fill: { color: BRAND }, line: { color: BRAND } });
  slide.addText("Upsell opportunity", { x: x0 + 6.3, y: y0 + h + 0.33, w: 2, h: 0.32, fontFace: FONT, fontSize: 10, color: INK });
}

/** A file name for the deck: the account's name, safe for every file system, and the date. */
export function deckFileName(account: AccountSummary, now: Date = new Date()): string {
  const base = account.name.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, "-").replace(/\s+/g, " ").trim().slice(0, 120) || "Account";
  return `${base} — profile ${now.toISOString().slice(0, 10)}.pptx`;
}

export async function buildPresentation(ctx: Ctx, account: AccountSummary, now: Date = new Date()): Promise<Buffer> {
  return buildDeck(await loadDeckData(ctx, account, now));
}
