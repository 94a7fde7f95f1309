// RAM's own name rules (alibaba-api.md §5.1/§5.2), as appsnap-core's RamOptions::validate
// checks them again at the IPC boundary; the form answers before anything is sent.
export const DEFAULT_ROLE_NAME = "AppSnapshotRoleName";
export const DEFAULT_POLICY_NAME = "AppSnapshotPolicy";

export const ROLE_NAME = /^[A-Za-z0-9.-]{1,64}$/;
export const POLICY_NAME = /^[A-Za-z0-9-]{1,128}$/;

export interface RamNames {
  roleName: string;
  policyName: string;
}

export function namesValid(n: RamNames): boolean {
  return ROLE_NAME.test(n.roleName) && POLICY_NAME.test(n.policyName);
}

/** Where the RAM console shows them (deep links as the console uses them; not an API). */
export function consoleLinks(n: RamNames): { role: string; policy: string } {
  const base = "https://ram.console.aliyun.com";
  return {
    role: `${base}/roles/detail?roleName=${encodeURIComponent(n.roleName)}`,
    policy: `${base}/policies/detail?policyType=Custom&policyName=${encodeURIComponent(n.policyName)}`,
  };
}
