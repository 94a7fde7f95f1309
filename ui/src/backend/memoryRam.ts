// The RAM part of the in-memory backend: a small account (roles, custom policies,
// instances with their role) that plans and applies the way appsnap-core's engine does,
// in the same order and with the same event kinds, so the wizard is tested without a window.
import type { AppError } from "../bindings/AppError";
import type { Blocker } from "../bindings/Blocker";
import type { CloudAction } from "../bindings/CloudAction";
import type { CloudRequest } from "../bindings/CloudRequest";
import type { InstanceResolution } from "../bindings/InstanceResolution";
import type { PlanStep } from "../bindings/PlanStep";
import type { RamApplyEvent } from "../bindings/RamApplyEvent";
import type { RamApplyReport } from "../bindings/RamApplyReport";
import type { RamCandidate } from "../bindings/RamCandidate";
import type { RamOptions } from "../bindings/RamOptions";
import type { RamPlan } from "../bindings/RamPlan";
import type { StepState } from "../bindings/StepState";

/** The seed's documents, as the engine sends them. */
export const ECS_TRUST = '{"Statement":[{"Action":"sts:AssumeRole","Effect":"Allow","Principal":{"Service":["ecs.aliyuncs.com"]}}],"Version":"1"}';
export const SEED_POLICY =
  '{"Version":"1","Statement":[{"Effect":"Allow","Action":["ecs:DescribeSnapshot*","ecs:CreateSnapshot*","ecs:TagResources","ecs:DescribeDisks"],"Resource":["*"],"Condition":{}}]}';

export interface MemoryRam {
  /** By role name: its trust policy, whether that lets ECS assume it, its custom policies. */
  roles: Record<string, { trust: string; trustsEcs: boolean; policies: string[] }>;
  /** By custom policy name: its document and whether it grants the four actions. */
  policies: Record<string, { document: string; grants: boolean }>;
  instances: RamCandidate[];
  /** A read the caller may not do: the step shows blocked with this blocker. */
  blocked: Partial<Record<"role" | "policy" | "attachment", Blocker>>;
  /** A write that fails during apply, by step id. */
  failures: Record<string, AppError>;
}

export const MEMORY_RAM_INSTANCES: RamCandidate[] = [
  { instanceId: "i-hz-mysql", instanceName: "app-centos79-mysql", regionId: "cn-hangzhou", status: "Running", osName: "CentOS 7.9 64位", currentRole: null },
  { instanceId: "i-hz-redis", instanceName: "app-alinux3-redis", regionId: "cn-hangzhou", status: "Running", osName: "Alibaba Cloud Linux 3", currentRole: null },
  { instanceId: "i-sh-other", instanceName: "other-role-alinux3", regionId: "cn-shanghai", status: "Running", osName: "Alibaba Cloud Linux 3", currentRole: "OpsMonitoringRole" },
  { instanceId: "i-sh-stopped", instanceName: "stopped-centos79", regionId: "cn-shanghai", status: "Stopped", osName: "CentOS 7.9 64位", currentRole: null },
];

export function memoryRam(ram: Partial<MemoryRam> = {}): MemoryRam {
  return {
    roles: { OpsMonitoringRole: { trust: ECS_TRUST, trustsEcs: true, policies: [] } },
    policies: {},
    instances: MEMORY_RAM_INSTANCES.map((i) => ({ ...i })),
    blocked: {},
    failures: {},
    ...ram,
  };
}

const NAME_RULES: [keyof RamOptions & ("roleName" | "policyName"), RegExp][] = [
  ["roleName", /^[A-Za-z0-9.-]{1,64}$/],
  ["policyName", /^[A-Za-z0-9-]{1,128}$/],
];

function invalid(message: string): AppError {
  return { code: "InvalidInput", message };
}

function checkOptions(o: RamOptions): void {
  for (const [field, rule] of NAME_RULES) if (!rule.test(o[field])) throw invalid(`the ${field} '${o[field]}' breaks RAM's name rules`);
  const ids = new Set<string>();
  for (const i of o.instances) {
    if (!/^[A-Za-z0-9-]{1,64}$/.test(i.instanceId)) throw invalid(`the instance id '${i.instanceId}' is not valid`);
    if (ids.has(i.instanceId)) throw invalid(`instance ${i.instanceId} is listed twice`);
    ids.add(i.instanceId);
  }
}

function request(action: CloudAction, parameters: Record<string, string>): CloudRequest {
  return { action, parameters };
}

function step(id: string, kind: PlanStep["kind"], target: string, state: StepState, detail: string, req: CloudRequest[] = []): PlanStep {
  return { id, kind, target, state, detail, request: req };
}

export function planRam(ram: MemoryRam, o: RamOptions): RamPlan {
  checkOptions(o);
  const role = ram.roles[o.roleName];
  const policy = ram.policies[o.policyName];
  const createRole = request("CreateRole", { RoleName: o.roleName, AssumeRolePolicyDocument: ECS_TRUST });
  const createPolicy = request("CreatePolicy", { PolicyName: o.policyName, PolicyDocument: SEED_POLICY });
  const attach = request("AttachPolicyToRole", { PolicyType: "Custom", PolicyName: o.policyName, RoleName: o.roleName });

  const existing = (id: "role" | "policy", target: string, create: CloudRequest, found: { doc: string; ok: boolean } | undefined, expected: string, useAnyway: boolean): PlanStep => {
    const blocker = ram.blocked[id];
    if (blocker) return { ...step(id, id, target, "blocked", `The caller lacks ${blocker.permission}.`, [create]), blocker };
    if (!found) return step(id, id, target, "todo", `${target} does not exist: it will be created.`, [create]);
    if (found.doc === expected) return step(id, id, target, "done", `${target} exists with exactly the expected document.`);
    const evaluation = { sufficient: found.ok, findings: [{ subject: id === "role" ? "sts:AssumeRole by ecs.aliyuncs.com" : "ecs:CreateSnapshot*", holds: found.ok, reason: found.ok ? "allowed" : "not allowed" }] };
    const diff = { expected, actual: found.doc, changes: [{ path: "$.Statement[0]", change: "changed" as const, expected: JSON.parse(expected).Statement[0], actual: JSON.parse(found.doc).Statement?.[0] }] };
    const state: StepState = useAnyway && found.ok ? "done" : "conflict";
    return { ...step(id, id, target, state, `${target} exists with another document.`), diff, evaluation };
  };
  const roleStep = existing("role", o.roleName, createRole, role && { doc: role.trust, ok: role.trustsEcs }, ECS_TRUST, o.useExistingRole);
  const policyStep = existing("policy", o.policyName, createPolicy, policy && { doc: policy.document, ok: policy.grants }, SEED_POLICY, o.useExistingPolicy);
  const attachTarget = `${o.policyName} → ${o.roleName}`;
  let attachment: PlanStep;
  if (roleStep.state === "todo" || policyStep.state === "todo") attachment = step("attachment", "attachment", attachTarget, "todo", "attached once the role and policy exist", [attach]);
  else if (ram.blocked.attachment) attachment = { ...step("attachment", "attachment", attachTarget, "blocked", "blocked", [attach]), blocker: ram.blocked.attachment };
  else if (role?.policies.includes(o.policyName)) attachment = step("attachment", "attachment", attachTarget, "done", "attached");
  else attachment = step("attachment", "attachment", attachTarget, "todo", "will be attached", [attach]);

  const steps = [roleStep, policyStep, attachment];
  const instances: RamPlan["instances"] = [];
  for (const ref of o.instances) {
    const inst = ram.instances.find((i) => i.instanceId === ref.instanceId);
    const current = inst?.currentRole ?? null;
    const id = `instance:${ref.instanceId}`;
    const attachRole = request("AttachInstanceRamRole", { RegionId: ref.regionId, InstanceIds: JSON.stringify([ref.instanceId]), RamRoleName: o.roleName });
    let s: PlanStep;
    if (!current) s = step(id, "instance", ref.instanceId, "todo", "will be attached", [attachRole]);
    else if (current === o.roleName) s = step(id, "instance", ref.instanceId, "done", `holds role ${current}`);
    else if (ram.roles[current]?.policies.includes(o.policyName)) s = step(id, "instance", ref.instanceId, "done", `holds role ${current}, extended`);
    else {
      const choices = [
        { resolution: "extend" as const, consequence: "extend", requests: [request("AttachPolicyToRole", { PolicyType: "Custom", PolicyName: o.policyName, RoleName: current })] },
        { resolution: "replace" as const, consequence: "replace", requests: [request("DetachInstanceRamRole", { RegionId: ref.regionId, InstanceIds: JSON.stringify([ref.instanceId]), RamRoleName: current }), attachRole] },
        { resolution: "skip" as const, consequence: "skip", requests: [] },
      ];
      const resolution: InstanceResolution | undefined = o.resolutions[ref.instanceId] ?? o.onConflict;
      const chosen = choices.find((c) => c.resolution === resolution);
      s = { ...step(id, "instance", ref.instanceId, "conflict", `holds role ${current}`, chosen?.requests ?? []), choices, resolution };
    }
    steps.push(s);
    instances.push({ instanceId: ref.instanceId, regionId: ref.regionId, state: s.state, currentRole: current });
  }
  return { steps, instances };
}

/** Apply as the engine does: only todo steps and chosen resolutions, in order, one event each. */
export async function applyRam(
  ram: MemoryRam,
  o: RamOptions,
  emit: (e: RamApplyEvent) => void,
  pace: () => Promise<void>,
  checkpoint: () => void,
): Promise<RamApplyReport> {
  const before = planRam(ram, o);
  emit({ event: "planned", plan: before });
  const states = new Map(before.steps.map((s) => [s.id, s.state]));
  const failures: RamApplyReport["failures"] = [];
  for (const s of before.steps) {
    checkpoint();
    await pace();
    checkpoint();
    const skip = (reason: string) => emit({ event: "stepSkipped", stepId: s.id, reason });
    if (s.state === "done" || s.state === "blocked" || (s.state === "conflict" && s.kind !== "instance")) continue;
    if (s.state === "conflict" && !s.resolution) continue;
    if (s.resolution === "skip") {
      skip("skip chosen");
      continue;
    }
    if (s.kind === "attachment" && (states.get("role") !== "done" || states.get("policy") !== "done")) {
      skip("needs the role and policy steps to be done first");
      continue;
    }
    if (s.kind === "instance" && states.get("role") !== "done") {
      skip("needs the role step to be done first");
      continue;
    }
    emit({ event: "stepStarted", stepId: s.id });
    const failure = ram.failures[s.id];
    if (failure) {
      failures.push({ stepId: s.id, error: failure });
      emit({ event: "stepFailed", stepId: s.id, error: failure });
      continue;
    }
    const inst = ram.instances.find((i) => `instance:${i.instanceId}` === s.id);
    if (s.kind === "role") ram.roles[o.roleName] = { trust: ECS_TRUST, trustsEcs: true, policies: [] };
    if (s.kind === "policy") ram.policies[o.policyName] = { document: SEED_POLICY, grants: true };
    if (s.kind === "attachment") ram.roles[o.roleName]?.policies.push(o.policyName);
    if (inst && s.resolution === "extend" && inst.currentRole) {
      const other = (ram.roles[inst.currentRole] ??= { trust: ECS_TRUST, trustsEcs: true, policies: [] });
      other.policies.push(o.policyName);
    }
    else if (inst) {
      inst.currentRole = o.roleName;
      emit({ event: "verifying", stepId: s.id, instanceId: inst.instanceId, attempt: 1, message: "checking with DescribeInstanceRamRole" });
    }
    states.set(s.id, "done");
    emit({ event: "stepDone", stepId: s.id, detail: `${s.target} done` });
  }
  return { plan: planRam(ram, o), failures };
}
