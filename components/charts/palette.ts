/** Band colours of the health grid and trend (the theme's good/average/poor), grey for no snapshot. */
export const BAND_COLORS = { good: "#1f9d55", average: "#d69e2e", poor: "#d64545", none: "#cbd5e1" } as const;

/** Series colours for usage charts: distinct hues that stay readable on white. */
export const SERIES_COLORS = [
  "#2f6fdb",
  "#1f9d55",
  "#d69e2e",
  "#9333ea",
  "#d64545",
  "#0891b2",
  "#db2777",
  "#65a30d",
  "#64748b",
  "#ea580c",
] as const;
