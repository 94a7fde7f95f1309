//! The macro behind the command table in `ipc/mod.rs`. From one list it makes the
//! `#[tauri::command]` wrappers, the invoke handler and (in tests) the description that
//! `ui/src/bindings/commands.ts` is generated from, so a command's name and types exist once.
//!
//! - `calls`: `fn name(arg: Type, …) -> Result;` wraps `commands::name(&AppState, arg, …)`.
//! - `tasks`: `fn name(arg: Type, …) -> Result, events Event;` also takes the caller's
//!   `taskId` and an `onEvent` channel of `TaskEvent<Event>`, and wraps
//!   `commands::name(&AppState, Reporter<Event>, arg, …)` in [`crate::ipc::task::run`].
//!
//! The wrappers are private to the table's module, where `generate_handler!` can see them.

macro_rules! ipc_commands {
    (
        calls {
            $( $(#[doc = $cdoc:literal])*
               fn $call:ident ( $($carg:ident : $cty:ty),* $(,)? ) -> $cres:ty; )*
        }
        tasks {
            $( $(#[doc = $tdoc:literal])*
               fn $task:ident ( $($targ:ident : $tty:ty),* $(,)? ) -> $tres:ty, events $tev:ty; )*
        }
    ) => {
        $(
            $(#[doc = $cdoc])*
            #[tauri::command]
            async fn $call(
                state: tauri::State<'_, $crate::state::AppState>,
                $($carg: $cty),*
            ) -> Result<$cres, appsnap_core::AppError> {
                $crate::commands::$call(&state, $($carg),*).await
            }
        )*
        $(
            $(#[doc = $tdoc])*
            #[tauri::command]
            async fn $task(
                state: tauri::State<'_, $crate::state::AppState>,
                task_id: String,
                on_event: tauri::ipc::Channel<appsnap_core::progress::TaskEvent<$tev>>,
                $($targ: $tty),*
            ) -> Result<$tres, appsnap_core::AppError> {
                $crate::ipc::task::run(&state.tasks, stringify!($task), &task_id, on_event, |reporter| {
                    $crate::commands::$task(&state, reporter, $($targ),*)
                })
                .await
            }
        )*

        /// Every command of the table, for `tauri::Builder::invoke_handler`.
        pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$($call,)* $($task,)*]
        }

        /// The table as data: what `commands.ts` is generated from.
        #[cfg(test)]
        pub fn specs() -> Vec<$crate::ipc::typescript::CommandSpec> {
            use $crate::ipc::typescript::{CommandSpec, TsType};
            vec![
                $( CommandSpec {
                    name: stringify!($call),
                    docs: vec![$($cdoc),*],
                    args: vec![$((stringify!($carg), TsType::of::<$cty>())),*],
                    result: TsType::of::<$cres>(),
                    events: None,
                }, )*
                $( CommandSpec {
                    name: stringify!($task),
                    docs: vec![$($tdoc),*],
                    args: vec![("task_id", TsType::of::<String>()), $((stringify!($targ), TsType::of::<$tty>())),*],
                    result: TsType::of::<$tres>(),
                    events: Some(TsType::event::<$tev>()),
                }, )*
            ]
        }
    };
}

pub(crate) use ipc_commands;
