//! One module per command.

pub mod build;
pub mod check;
pub mod drop;
pub mod export;
mod folder;
mod load;
pub mod renames;
pub mod up;
mod words;
