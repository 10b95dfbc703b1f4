"use server";

/* The profile's "Copy share link" (issue #8); the definition lives in lib/unfurl, where tests run it. */
import { defineAction } from "@/lib/actions/define";
import { createShareLink } from "@/lib/unfurl/share-action";

export const createShareLinkAction = defineAction(createShareLink);
