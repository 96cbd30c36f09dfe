//! One module per command.

pub mod export;
mod load;
