//! schemac's compiler: everything from TypeScript source text to SQL, with no database and no
//! network. See `ARCHITECTURE.md` at the repository root for the map.

pub mod span;
pub mod syntax;
