"use server";

/*
 * The profile's server actions. Each is a public POST endpoint: `defineAction` checks the session,
 * validates the FormData with the definition's zod schema, authorizes, and runs the write in one
 * transaction. The definitions live in lib/activity, lib/attributes, lib/assignments, lib/contacts and lib/unfurl, where tests
 * run them.
 */
import { defineAction } from "@/lib/actions/define";
import { logTouchpoint } from "@/lib/activity/touchpoints";
import { createTask, setTaskStatus } from "@/lib/activity/tasks";
import { addObjective } from "@/lib/activity/objectives";
import { applyPlaybook } from "@/lib/activity/playbooks";
import { answerRequest, requestInformation } from "@/lib/activity/requests";
import { addLinkAsset } from "@/lib/activity/links";
import { editAttribute } from "@/lib/attributes/edit";
import { addTag, removeTag, saveCompanyProfile } from "@/lib/attributes/company-profile";
import { createShareLink } from "@/lib/unfurl/share-action";
import { assignUser, unassignUser } from "@/lib/assignments/actions";
import { createContact } from "@/lib/contacts/edit";
import { linkContact, searchContacts, setKeyContact, unlinkContact } from "@/lib/contacts/links";

export const logTouchpointAction = defineAction(logTouchpoint);
export const createTaskAction = defineAction(createTask);
export const setTaskStatusAction = defineAction(setTaskStatus);
export const addObjectiveAction = defineAction(addObjective);
export const applyPlaybookAction = defineAction(applyPlaybook);
export const requestInformationAction = defineAction(requestInformation);
export const answerRequestAction = defineAction(answerRequest);
export const addLinkAssetAction = defineAction(addLinkAsset);
export const editAttributeAction = defineAction(editAttribute);
export const saveCompanyProfileAction = defineAction(saveCompanyProfile);
export const addTagAction = defineAction(addTag);
export const removeTagAction = defineAction(removeTag);
export const createShareLinkAction = defineAction(createShareLink);
export const assignUserAction = defineAction(assignUser);
export const unassignUserAction = defineAction(unassignUser);
export const createContactAction = defineAction(createContact);
export const linkContactAction = defineAction(linkContact);
export const unlinkContactAction = defineAction(unlinkContact);
export const setKeyContactAction = defineAction(setKeyContact);
export const searchContactsAction = defineAction(searchContacts);

// Working together (issue 18): follow an account, comment on a task with @mentions.
import { followAccount, unfollowAccount } from "@/lib/notifications/follows";
import { addTaskComment } from "@/lib/activity/task-comments";
export const followAccountAction = defineAction(followAccount);
export const unfollowAccountAction = defineAction(unfollowAccount);
export const addTaskCommentAction = defineAction(addTaskComment);
// Lifecycles and plans (issue 16, lifecycle helper)
import { changeStage } from "@/lib/lifecycle/change-stage";
import { linkTask, setObjectiveProgress, setObjectiveStatus, setPlanStatus } from "@/lib/activity/objectives";
export const changeStageAction = defineAction(changeStage);
export const linkTaskAction = defineAction(linkTask);
export const setObjectiveProgressAction = defineAction(setObjectiveProgress);
export const setObjectiveStatusAction = defineAction(setObjectiveStatus);
export const setPlanStatusAction = defineAction(setPlanStatus);
// Working together (issue 18, notify2): hand a task to someone else.
import { reassignTask } from "@/lib/activity/task-reassign";
export const reassignTaskAction = defineAction(reassignTask);
