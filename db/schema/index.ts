export * from "./organizations";
export * from "./members";
export * from "./billing-groups";
export * from "./groups";
export * from "./usage";
export * from "./api-keys";
export * from "./audit";
export * from "./security";
