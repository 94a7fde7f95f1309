// An in-memory backend for component tests: the same methods as the real one, over a
// small world the test describes, with the same task rules (ids, order, cancellation).
import type { AppError } from "../bindings/AppError";
import type { AppSettings } from "../bindings/AppSettings";
import type { AppStatus } from "../bindings/AppStatus";
import type { CallerIdentity } from "../bindings/CallerIdentity";
import type { CliImportListing } from "../bindings/CliImportListing";
import type { ProfileEntry } from "../bindings/ProfileEntry";
import type { RegionCount } from "../bindings/RegionCount";
import type { Backend } from "./Backend";
import { applyRam, memoryRam, planRam, type MemoryRam } from "./memoryRam";
import { defaultFleet, fleetCommands, type MemoryFleet } from "./memoryFleet";
import { memoryScripts, scriptsCommands, type MemoryScripts } from "./memoryScripts";
import { jobCommands, memoryJobs, type MemoryJobs } from "./memoryJobs";
import { historyCommands, memoryHistory, type MemoryHistory } from "./memoryHistory";

export interface MemoryWorld {
  status: AppStatus;
  regions: RegionCount[];
  /** When set, `regionsScan` fails with it after listing the regions. */
  scanError?: AppError;
  /** Awaited before each region is counted (default: one event-loop turn), to pace a scan. */
  beforeRegion?: () => Promise<void>;
  /** The account's RAM side (see memoryRam.ts). */
  ram: MemoryRam;
  /** Awaited before each RAM apply step (default: one event-loop turn). */
  beforeRamStep?: () => Promise<void>;
  /** Stored profiles (the Sandbox is built in); the current one is `status.profile`. */
  profiles: ProfileEntry[];
  /** What `profile_test` answers per profile: an identity, or the error it fails with. */
  identities: Record<string, CallerIdentity | AppError>;
  /** What `profile_import_list` answers; importing moves those profiles into `profiles`. */
  cliImport: CliImportListing;
  /** The instance picker's stored inventory and cloud (see memoryFleet.ts). */
  fleet: MemoryFleet;
  /** The scripts library and what the instances hold (see memoryScripts.ts). */
  scripts: MemoryScripts;
  /** Snapshot jobs: history, outcomes and pacing (see memoryJobs.ts). */
  jobs: MemoryJobs;
  /** History's extras and rollbacks (see memoryHistory.ts); its rows are the jobs' reports. */
  history: MemoryHistory;
  /** settings.json; when `settingsError` is set, reading it fails with that. */
  settings: AppSettings;
  settingsError?: AppError;
  /** The folders `open_folder` was asked to open, in order; `openError` makes it fail. */
  opened: string[];
  openError?: AppError;
}

export interface MemoryBackend extends Backend {
  world: MemoryWorld;
  /** Every call in order, by command name, with its arguments. */
  calls: { command: string; args?: unknown }[];
  /** Ids of the tasks running now. */
  running(): string[];
}

export const MEMORY_STATUS: AppStatus = {
  version: "0.1.0",
  profile: "Sandbox",
  sandbox: { state: "running", endpoint: "http://127.0.0.1:40123", scenario: "demo" },
  logDir: "/home/admin/.local/share/com.appsnap.desktop/logs",
  dataDir: "/home/admin/.local/share/appsnap",
  configDir: "/home/admin/.config/appsnap",
  historySetAside: [],
};

/** The backend's defaults (core's AppSettings::default). */
export const MEMORY_SETTINGS: AppSettings = {
  language: "system",
  theme: "system",
  concurrency: 10,
  firstPollMs: 500,
  maxPollSecs: 5,
  commandPattern: "Consistent",
};

export const MEMORY_REGIONS: RegionCount[] = [
  { regionId: "cn-hangzhou", localName: "华东1（杭州）", instances: 10 },
  { regionId: "cn-shanghai", localName: "华东2（上海）", instances: 5 },
  { regionId: "cn-beijing", localName: "华北2（北京）", instances: 1 },
];

export const MEMORY_SANDBOX = "Sandbox";

export const MEMORY_IDENTITIES: Record<string, CallerIdentity> = {
  Sandbox: {
    profile: "Sandbox",
    accountId: "1688000000000001",
    arn: "acs:ram::1688000000000001:user/admin",
    identityType: "RAMUser",
    principalId: "2000000000000001",
    requestId: "0F2C6B49-2C4F-4A1E-9B6F-000000000001",
  },
};

const PROFILE_NAME = /^[A-Za-z0-9._-]{1,64}$/;

const TASK_ID = /^[A-Za-z0-9._-]{1,64}$/;

function fail(code: AppError["code"], message: string): AppError {
  return { code, message };
}

/** One turn of the event loop: lets the UI render (and the user cancel) between steps. */
const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export function createMemoryBackend(world: Partial<MemoryWorld> = {}): MemoryBackend {
  const state: MemoryWorld = {
    status: MEMORY_STATUS,
    regions: MEMORY_REGIONS,
    ram: memoryRam(),
    fleet: defaultFleet(),
    scripts: memoryScripts(),
    jobs: memoryJobs(),
    history: memoryHistory(),
    profiles: [],
    settings: MEMORY_SETTINGS,
    opened: [],
    identities: { ...MEMORY_IDENTITIES },
    cliImport: { path: "/home/admin/.aliyun/config.json", found: false, profiles: [] },
    ...world,
  };
  // A test's identities add to the Sandbox's instead of replacing it.
  state.identities = { ...MEMORY_IDENTITIES, ...world.identities };
  const listing = () => ({ sandbox: MEMORY_SANDBOX, current: state.status.profile, profiles: [...state.profiles] });
  const findProfile = (name: string) => state.profiles.find((e) => e.profile.name === name);
  function checkName(name: string): void {
    if (!PROFILE_NAME.test(name)) throw fail("InvalidInput", `profile name '${name}': use 1 to 64 characters from A-Z, a-z, 0-9, '.', '_' and '-'`);
  }
  const calls: MemoryBackend["calls"] = [];
  const cancelled = new Map<string, boolean>();

  function startTask(taskId: string): void {
    if (!TASK_ID.test(taskId)) throw fail("InvalidInput", `task id '${taskId}' is not 1-64 characters from A-Z a-z 0-9 - _ .`);
    if (cancelled.has(taskId)) throw fail("Conflict", `a task with id '${taskId}' is already running`);
    cancelled.set(taskId, false);
  }
  function checkpoint(taskId: string): void {
    if (cancelled.get(taskId)) throw fail("Cancelled", "stopped at the user's request");
  }

  function taskEmitter<E>(taskId: string, onEvent: (event: { taskId: string; seq: number; event: E }) => void) {
    let seq = 0;
    return (event: E) => onEvent({ taskId, seq: seq++, event });
  }

  return {
    world: state,
    calls,
    running: () => [...cancelled.keys()],
    async appStatus() {
      calls.push({ command: "app_status" });
      return state.status;
    },
    async profilesList() {
      calls.push({ command: "profiles_list" });
      return listing();
    },
    async profileAdd(args) {
      calls.push({ command: "profile_add", args });
      const { profile, secret } = args.input;
      checkName(profile.name);
      if (profile.name.toLowerCase() === MEMORY_SANDBOX.toLowerCase()) throw fail("InvalidInput", "the built-in profile's name");
      if (!secret) throw fail("InvalidInput", "a new profile needs its AccessKey ID and secret");
      if (findProfile(profile.name)) {
        throw { ...fail("Conflict", `profile '${profile.name}' already exists`), hint: { key: "ProfileExists", params: { profile: profile.name } } };
      }
      // Like the backend: the secret is kept apart and never comes back.
      const entry: ProfileEntry = { profile, key: { state: "stored", accessKeyId: secret.accessKeyId } };
      state.profiles = [...state.profiles, entry].sort((a, b) => a.profile.name.localeCompare(b.profile.name));
      return entry;
    },
    async profileUpdate(args) {
      calls.push({ command: "profile_update", args });
      const { profile, secret } = args.input;
      const old = findProfile(profile.name);
      if (!old) throw fail("NotFound", `no AppSnap profile '${profile.name}'`);
      const entry: ProfileEntry = { profile, key: secret ? { state: "stored", accessKeyId: secret.accessKeyId } : old.key };
      state.profiles = state.profiles.map((e) => (e.profile.name === profile.name ? entry : e));
      delete state.identities[profile.name];
      return entry;
    },
    async profileRemove(args) {
      calls.push({ command: "profile_remove", args });
      checkName(args.name);
      if (args.name === MEMORY_SANDBOX) throw fail("InvalidInput", "the built-in Sandbox profile cannot be removed");
      if (!findProfile(args.name)) throw fail("NotFound", `no AppSnap profile '${args.name}'`);
      state.profiles = state.profiles.filter((e) => e.profile.name !== args.name);
      if (state.status.profile === args.name) state.status = { ...state.status, profile: MEMORY_SANDBOX };
      return listing();
    },
    async profileSelect(args) {
      calls.push({ command: "profile_select", args });
      if (args.name !== MEMORY_SANDBOX && !findProfile(args.name)) throw fail("NotFound", `no AppSnap profile '${args.name}'`);
      state.status = { ...state.status, profile: args.name };
      return args.name;
    },
    async profileTest(args) {
      calls.push({ command: "profile_test", args });
      await tick();
      const answer = state.identities[args.name];
      if (!answer) throw fail("NotFound", `no AppSnap profile '${args.name}'`);
      if ("code" in answer) throw answer;
      return answer;
    },
    async profileImportList() {
      calls.push({ command: "profile_import_list" });
      return state.cliImport;
    },
    async profileImport(args) {
      calls.push({ command: "profile_import", args });
      if (args.names.length === 0) throw fail("InvalidInput", "pick at least one profile to import");
      const chosen = args.names.map((name) => state.cliImport.profiles.find((p) => p.name === name));
      const bad = chosen.find((p) => !p || p.problem);
      if (bad !== undefined) throw fail("InvalidInput", bad ? `profile '${bad.name}': ${bad.problem}` : "no such profile");
      for (const p of chosen) {
        if (!p) continue;
        const kind = p.mode === "StsToken" ? { type: "stsToken" as const } : p.mode === "RamRoleArn"
          ? { type: "ramRoleArn" as const, roleArn: p.roleArn ?? "", roleSessionName: "appsnap", durationSeconds: 3600 }
          : undefined;
        state.profiles.push({
          profile: { name: p.name, kind, region: p.region, signature: "acs3", network: "public" },
          key: { state: "stored", accessKeyId: p.accessKeyId ?? "" },
        });
      }
      state.profiles.sort((a, b) => a.profile.name.localeCompare(b.profile.name));
      return args.names;
    },
    async settingsGet() {
      calls.push({ command: "settings_get" });
      if (state.settingsError) throw state.settingsError;
      return state.settings;
    },
    async settingsSave(args) {
      calls.push({ command: "settings_save", args });
      const { concurrency, commandPattern } = args.settings;
      // The backend's first rules; core checks every one.
      if (concurrency < 1 || concurrency > 100) throw fail("InvalidInput", `concurrency per region is ${concurrency}; it must be 1-100`);
      if (commandPattern.trim() === "") throw fail("InvalidInput", "the command name pattern has 0 characters; it must have 1-128");
      state.settings = { ...args.settings };
      return state.settings;
    },
    async diagnostics() {
      calls.push({ command: "diagnostics" });
      const profiles = state.profiles.map((e) => `- ${e.profile.name} kind=${e.profile.kind?.type ?? "accessKey"}`);
      return [`# AppSnap diagnostics`, `app: AppSnap desktop ${state.status.version}`, `current profile: ${state.status.profile}`, ...profiles, ""].join("\n");
    },
    async openFolder(args) {
      calls.push({ command: "open_folder", args });
      if (state.openError) throw state.openError;
      state.opened.push(args.kind);
      return null;
    },
    async taskCancel(args) {
      calls.push({ command: "task_cancel", args });
      if (!TASK_ID.test(args.taskId)) throw fail("InvalidInput", `task id '${args.taskId}' is not valid`);
      if (!cancelled.has(args.taskId)) return false;
      cancelled.set(args.taskId, true);
      return true;
    },
    ...fleetCommands(() => state.fleet, { calls, startTask, checkpoint, endTask: (id) => cancelled.delete(id) }),
    ...scriptsCommands(() => state.scripts, { calls, startTask, checkpoint, endTask: (id) => cancelled.delete(id) }),
    ...jobCommands(() => state.jobs, () => state.fleet.stored, { calls, startTask, checkpoint, endTask: (id) => cancelled.delete(id) }),
    ...historyCommands(() => state.history, () => state.jobs, () => state.fleet.stored, { calls, startTask, checkpoint, endTask: (id) => cancelled.delete(id) }),
    async regionsScan(args, onEvent) {
      calls.push({ command: "regions_scan", args });
      startTask(args.taskId);
      let seq = 0;
      const emit = (event: Parameters<typeof onEvent>[0]["event"]) => onEvent({ taskId: args.taskId, seq: seq++, event });
      try {
        await tick();
        checkpoint(args.taskId);
        emit({ kind: "listed", regionIds: state.regions.map((r) => r.regionId) });
        if (state.scanError) throw state.scanError;
        const counted: RegionCount[] = [];
        for (const region of state.regions) {
          await (state.beforeRegion ?? tick)();
          checkpoint(args.taskId);
          emit({ kind: "counted", region });
          counted.push(region);
        }
        return { regions: counted };
      } finally {
        cancelled.delete(args.taskId);
      }
    },
    async ramCandidates(args) {
      calls.push({ command: "ram_candidates", args });
      const regions = args.regions.length > 0 ? args.regions : [...new Set(state.ram.instances.map((i) => i.regionId))];
      return {
        regions,
        instances: state.ram.instances.filter((i) => regions.includes(i.regionId)).map((i) => ({ ...i })),
      };
    },
    async ramPlan(args) {
      calls.push({ command: "ram_plan", args });
      return planRam(state.ram, args.options);
    },
    async ramApply(args, onEvent) {
      calls.push({ command: "ram_apply", args });
      startTask(args.taskId);
      try {
        return await applyRam(
          state.ram,
          args.options,
          taskEmitter(args.taskId, onEvent),
          state.beforeRamStep ?? tick,
          () => checkpoint(args.taskId),
        );
      } finally {
        cancelled.delete(args.taskId);
      }
    },
  };
}
