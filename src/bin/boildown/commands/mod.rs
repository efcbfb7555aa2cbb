//! One module per command, each with its arguments and its `run`.

pub mod clean;
pub mod corpus;
pub mod eval;
pub mod score;
pub mod site;
