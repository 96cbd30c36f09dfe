//! One module per command.

pub mod build;
pub mod check;
pub mod drop;
pub mod export;
mod folder;
mod load;
pub mod migrate;
pub mod pull;
pub mod push;
pub mod renames;
pub mod status;
pub mod up;
mod words;
