//! piimap finds where personal data lives on file shares and writes an inventory for a GDPR
//! register. The data flows one way:
//!
//! ```text
//! roots ─► walk ─► sniff ─► extract ─► detect ─► file record ─► writer
//! ```
//!
//! `walk` lists the files, [`extract`] sniffs and decodes them into text windows, [`detect`]
//! runs the rules (data in `rules/`) with their validators (which also mask values),
//! `findings` folds matches into per-kind findings with fingerprints, [`inventory`] holds the
//! record types (the contract), [`scan`] runs it all in parallel, and [`report`] writes the
//! inventory and the summary. `docs/ARCHITECTURE.md` has the full module map and its layers.

#![deny(missing_docs)]

pub mod cli;
pub mod commands;
pub(crate) mod config;
pub mod detect;
pub(crate) mod diff;
pub mod exit_code;
pub mod extract;
pub(crate) mod find;
pub(crate) mod findings;
pub mod inventory;
pub(crate) mod isolation;
pub mod memory;
pub mod outcome;
pub mod panics;
pub(crate) mod register;
pub mod report;
pub mod retention;
pub mod scan;
pub(crate) mod store;
pub(crate) mod tables;
pub(crate) mod walk;
