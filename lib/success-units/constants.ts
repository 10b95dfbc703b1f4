/** The adoption window of success units, in days (client-safe: widgets show it). */
export const ADOPTION_WINDOW_DAYS = 30;
