//! The TypeScript lexer (logos). To be written.
