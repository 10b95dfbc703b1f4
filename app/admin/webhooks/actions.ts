"use server";

import { defineAction } from "@/lib/actions/define";
import { webhookActions } from "@/lib/webhooks/endpoints";

export const createWebhookEndpointAction = defineAction(webhookActions.create);
export const updateWebhookEndpointAction = defineAction(webhookActions.update);
export const rotateWebhookSecretAction = defineAction(webhookActions.rotate);
export const setWebhookEnabledAction = defineAction(webhookActions.setEnabled);
export const deleteWebhookEndpointAction = defineAction(webhookActions.remove);
