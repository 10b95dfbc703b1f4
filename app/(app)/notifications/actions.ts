"use server";

/* The inbox's and the notification settings' server actions (definitions in lib/notifications). */
import { defineAction } from "@/lib/actions/define";
import { markAllNotificationsRead, markNotificationRead } from "@/lib/notifications/inbox";
import { saveNotificationPreferences } from "@/lib/notifications/settings";

export const markNotificationReadAction = defineAction(markNotificationRead);
export const markAllNotificationsReadAction = defineAction(markAllNotificationsRead);
export const saveNotificationPreferencesAction = defineAction(saveNotificationPreferences);
