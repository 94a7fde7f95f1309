export type RollbackEvent = { "kind": "stopping" } | { "kind": "stopped" } | { "kind": "resetting", diskIds: Array<string>, } | { "kind": "reset" } | { "kind": "starting" } | { "kind": "started" };
