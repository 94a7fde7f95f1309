//! The template library: the one list of templates, each a freeze + thaw pair of real
//! `.sh` files beside this file, its parameters and what it holds for how long.

use super::types::{ParamRule, ScriptTemplate, TemplateParam};

/// The parameter every holding template bounds its hold with (checked in `params`).
pub const WATCHDOG: &str = "watchdog_seconds";

/// The freeze timeout the cloud's plugin uses unless told otherwise (`TimeoutInSeconds`,
/// alibaba-api.md §4.5).
pub const DEFAULT_FREEZE_TIMEOUT_SECONDS: u32 = 30;

pub struct TemplateSpec {
    pub name: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub holds: &'static str,
    pub holds_for: &'static str,
    pub proof: &'static str,
    pub freeze: &'static str,
    pub thaw: &'static str,
    pub params: &'static [ParamSpec],
}

pub struct ParamSpec {
    pub name: &'static str,
    pub description: &'static str,
    pub default: &'static str,
    pub rule: ParamRule,
}

const PATH: ParamRule = ParamRule::AbsolutePath { optional: false };
const PATH_OR_NONE: ParamRule = ParamRule::AbsolutePath { optional: true };
const NAME: ParamRule = ParamRule::Name { optional: false };

const fn watchdog() -> ParamSpec {
    ParamSpec {
        name: WATCHDOG,
        description: "seconds after which the watchdog releases the hold on its own if the \
                      thaw script never runs; at least twice the freeze timeout",
        default: "60",
        rule: ParamRule::Seconds { min: 1, max: 3600 },
    }
}

const fn state_dir(default: &'static str) -> ParamSpec {
    ParamSpec {
        name: "state_dir",
        description: "root-only directory for the session's FIFO, pids and output; under /run \
                      so a reboot (which ends any hold) also clears it",
        default,
        rule: PATH,
    }
}

pub const TEMPLATES: &[TemplateSpec] = &[
    TemplateSpec {
        name: "generic",
        title: "Generic (flush only)",
        description: "Runs sync before the freeze: file-system consistency plus a clean page \
                      cache, for applications without a database to quiesce.",
        holds: "nothing",
        holds_for: "no time: the freeze script returns after sync",
        proof: "run by tests/scripts-real (sh) and shellcheck",
        freeze: include_str!("templates/generic/freeze.sh"),
        thaw: include_str!("templates/generic/thaw.sh"),
        params: &[],
    },
    TemplateSpec {
        name: "mysql",
        title: "MySQL / MariaDB",
        description: "FLUSH TABLES WITH READ LOCK taken in a background client session that \
                      stays open through the freeze; the freeze script returns once the lock \
                      is held, the thaw script releases it. Optional replica mode stops the \
                      replica SQL thread first. Credentials from an option file or socket \
                      authentication, never in the script.",
        holds: "a global read lock (writes wait; reads go on) in one client session",
        holds_for: "from the freeze script's end to the thaw script, at most watchdog_seconds \
                    (default 60 s); taking it waits at most lock_wait_seconds",
        proof: "proven on MariaDB 10.11 (Debian 12) by tests/scripts-real; not run on MySQL",
        freeze: include_str!("templates/mysql/freeze.sh"),
        thaw: include_str!("templates/mysql/thaw.sh"),
        params: &[
            ParamSpec {
                name: "client",
                description: "client program (mysql, or mariadb on newer MariaDB)",
                default: "mysql",
                rule: NAME,
            },
            ParamSpec {
                name: "defaults_file",
                description: "option file with the credentials (--defaults-extra-file); empty \
                              for socket authentication as root",
                default: "/root/.my.cnf",
                rule: PATH_OR_NONE,
            },
            ParamSpec {
                name: "socket",
                description: "server socket; empty for the client's default or the option file's",
                default: "",
                rule: PATH_OR_NONE,
            },
            watchdog(),
            ParamSpec {
                name: "lock_wait_seconds",
                description: "how long FLUSH TABLES WITH READ LOCK may wait behind running \
                              statements before the freeze script gives up",
                default: "10",
                rule: ParamRule::Seconds { min: 1, max: 20 },
            },
            ParamSpec {
                name: "replica",
                description: "on: stop the replica SQL thread before the lock and start it after",
                default: "off",
                rule: ParamRule::Flag,
            },
            state_dir("/run/appsnap/mysql"),
        ],
    },
    TemplateSpec {
        name: "postgresql",
        title: "PostgreSQL",
        description: "Backup mode held in one background psql session: pg_backup_start / \
                      pg_backup_stop on 15 and newer, pg_start_backup / pg_stop_backup on 10–14, \
                      chosen from server_version_num at run time. Forces a checkpoint so \
                      recovery from the snapshot is short. Peer or socket authentication, no \
                      password.",
        holds: "non-exclusive backup mode (writes go on; full-page writes are forced)",
        holds_for: "from the freeze script's end to the thaw script, at most watchdog_seconds \
                    (default 60 s); the start's checkpoint waits at most start_timeout_seconds",
        proof: "proven on PostgreSQL 15 (Debian 12) by tests/scripts-real; the 10–14 names are \
                not run against a server",
        freeze: include_str!("templates/postgresql/freeze.sh"),
        thaw: include_str!("templates/postgresql/thaw.sh"),
        params: &[
            ParamSpec {
                name: "run_as",
                description: "OS user psql runs as (peer authentication); empty for root",
                default: "postgres",
                rule: ParamRule::Name { optional: true },
            },
            ParamSpec {
                name: "socket_dir",
                description: "directory of the server's socket",
                default: "/var/run/postgresql",
                rule: PATH,
            },
            ParamSpec {
                name: "port",
                description: "server port (names the socket file)",
                default: "5432",
                rule: ParamRule::Port,
            },
            ParamSpec {
                name: "user",
                description: "database role; needs the right to run the backup functions",
                default: "postgres",
                rule: NAME,
            },
            ParamSpec {
                name: "dbname",
                description: "database to connect to",
                default: "postgres",
                rule: NAME,
            },
            watchdog(),
            ParamSpec {
                name: "start_timeout_seconds",
                description: "how long the start call's checkpoint may take",
                default: "15",
                rule: ParamRule::Seconds { min: 1, max: 20 },
            },
            state_dir("/run/appsnap/postgresql"),
        ],
    },
    TemplateSpec {
        name: "redis",
        title: "Redis",
        description: "BGSAVE before the freeze, then waits until the save has finished and \
                      LASTSAVE has advanced, so the RDB file holds every key written before. \
                      Nothing is held; the thaw script has nothing to do.",
        holds: "nothing",
        holds_for: "no time: the freeze script waits for the save, at most wait_seconds",
        proof: "proven on Redis 7.0 (Debian 12) by tests/scripts-real",
        freeze: include_str!("templates/redis/freeze.sh"),
        thaw: include_str!("templates/redis/thaw.sh"),
        params: &[
            ParamSpec {
                name: "cli",
                description: "client program",
                default: "redis-cli",
                rule: NAME,
            },
            ParamSpec {
                name: "socket",
                description: "server socket; empty to use host and port",
                default: "",
                rule: PATH_OR_NONE,
            },
            ParamSpec {
                name: "host",
                description: "server host when no socket is given",
                default: "127.0.0.1",
                rule: NAME,
            },
            ParamSpec {
                name: "port",
                description: "server port when no socket is given",
                default: "6379",
                rule: ParamRule::Port,
            },
            ParamSpec {
                name: "password_file",
                description: "root-only file holding the password (read into REDISCLI_AUTH); \
                              empty when none is needed",
                default: "",
                rule: PATH_OR_NONE,
            },
            ParamSpec {
                name: "wait_seconds",
                description: "how long to wait for the background save",
                default: "20",
                rule: ParamRule::Seconds { min: 1, max: 25 },
            },
        ],
    },
    TemplateSpec {
        name: "mongodb",
        title: "MongoDB",
        description: "db.fsyncLock() through mongosh before the freeze, db.fsyncUnlock() after; \
                      the lock outlives the session, so a background watchdog unlocks on its \
                      own if the thaw never comes.",
        holds: "the fsync lock (writes wait)",
        holds_for: "from the freeze script's end to the thaw script, at most watchdog_seconds \
                    (default 60 s)",
        proof: "UNTESTED against a MongoDB server (Debian does not package it): shellcheck and \
                rendering only",
        freeze: include_str!("templates/mongodb/freeze.sh"),
        thaw: include_str!("templates/mongodb/thaw.sh"),
        params: &[
            ParamSpec {
                name: "mongosh",
                description: "shell program",
                default: "mongosh",
                rule: NAME,
            },
            ParamSpec {
                name: "uri",
                description: "server address without credentials",
                default: "mongodb://127.0.0.1:27017/admin",
                rule: ParamRule::ConnectionUri,
            },
            ParamSpec {
                name: "uri_file",
                description: "root-only file holding the full address with credentials; \
                              overrides uri",
                default: "",
                rule: PATH_OR_NONE,
            },
            watchdog(),
            state_dir("/run/appsnap/mongodb"),
        ],
    },
];

/// The template of that name.
pub fn find(name: &str) -> Option<&'static TemplateSpec> {
    TEMPLATES.iter().find(|t| t.name == name)
}

impl TemplateSpec {
    /// As the Scripts screen shows it.
    pub fn info(&self) -> ScriptTemplate {
        ScriptTemplate {
            name: self.name.into(),
            title: self.title.into(),
            description: squash(self.description),
            holds: self.holds.into(),
            holds_for: squash(self.holds_for),
            proof: squash(self.proof),
            params: self
                .params
                .iter()
                .map(|p| TemplateParam {
                    name: p.name.into(),
                    description: squash(p.description),
                    default: p.default.into(),
                    rule: p.rule,
                })
                .collect(),
        }
    }
}

/// The texts above are wrapped with `\` continuations; this makes single spaces of them.
fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
