//! One module per command.

pub mod build;
pub mod export;
mod load;
pub mod renames;
mod words;
