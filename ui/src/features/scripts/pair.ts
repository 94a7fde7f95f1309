// What the screen pushes: a freeze/thaw pair with where it came from (a template's name or
// `custom`), or why there is none yet.
import type { InstanceRef } from "../../bindings/InstanceRef";
import type { StoredInventory } from "../../bindings/StoredInventory";

export const CUSTOM_SOURCE = "custom";
export const DEFAULT_TIMEOUT_SECONDS = 30;

export interface ScriptPair {
  source: string;
  freeze: string;
  thaw: string;
}

/** Linux instances of the stored inventory as push targets (only Linux takes the scripts). */
export function linuxTargets(stored: StoredInventory | null | undefined): (InstanceRef & { name: string })[] {
  return (stored?.inventory.instances ?? [])
    .filter((a) => a.instance.osType.toLowerCase() === "linux")
    .map((a) => ({ instanceId: a.instance.instanceId, regionId: a.instance.regionId, name: a.instance.name }));
}

/** Bytes for `scripts_validate`: the text as UTF-8. */
export function utf8(text: string): number[] {
  return Array.from(new TextEncoder().encode(text));
}
