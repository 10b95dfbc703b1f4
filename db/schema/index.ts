export * from "./enums";
export * from "./identity";
export * from "./hierarchy";
export * from "./attributes";
export * from "./health";
export * from "./lifecycle";
export * from "./people";
export * from "./usage";
export * from "./activity";
export * from "./assets";
export * from "./revenue";
export * from "./support";
export * from "./collections";
export * from "./layouts";
export * from "./rollups";
export * from "./api";
export * from "./events";
// notifications, follows, mail and mentions (issue 18)
export * from "./notifications";
// webhooks (issue 17)
export * from "./webhooks";
// Saved views of the accounts list (issue 18).
export * from "./views";
// Success units (issue 16, lifecycle helper)
export * from "./success-units";
