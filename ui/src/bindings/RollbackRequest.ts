import type { RollbackOptions } from "./RollbackOptions";
import type { RollbackPlan } from "./RollbackPlan";
export type RollbackRequest = { plan: RollbackPlan, options: RollbackOptions, confirmation: string, };
