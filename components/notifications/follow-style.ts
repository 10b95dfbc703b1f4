/** The Follow / Unfollow buttons' look, shared by the client form and its streamed placeholder. */
export const followButtonClass =
  "rounded-md border border-slate-300 bg-white px-2.5 py-1 text-sm font-medium text-brand-700 hover:border-brand-500 disabled:opacity-60";
