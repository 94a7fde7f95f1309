//! The world's model: resources and their wire renderings, no behaviour that moves time or
//! touches another resource. Every module here imports only the ones listed before it.

pub mod account;
pub mod command;
pub mod disk;
pub mod guest;
pub mod instance;
pub mod invocation;
pub mod os;
pub mod public_commands;
pub mod region;
pub mod region_table;
pub mod send_file;
pub mod snapshot;
pub mod status;
pub mod tags;
