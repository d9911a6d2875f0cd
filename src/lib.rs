//! piimap finds where personal data lives on file shares and writes an inventory for a GDPR
//! register. The data flows one way:
//!
//! ```text
//! roots ─► walk ─► sniff ─► extract ─► detect ─► file record ─► writer
//! ```
//!
//! [`walk`] lists the files, [`extract`] sniffs and decodes them into text windows, [`detect`]
//! runs the rules (data in `rules/`) with their validators, [`inventory`] holds the record types
//! (the contract), masking and fingerprints, [`scan`] runs it all in parallel, and [`report`]
//! writes the inventory and the summary.

pub mod cli;
pub mod commands;
pub mod config;
pub mod detect;
pub mod diff;
pub mod exit_code;
pub mod extract;
pub mod find;
pub mod findings;
pub mod inventory;
pub mod isolation;
pub mod memory;
pub mod outcome;
pub mod panics;
pub mod register;
pub mod report;
pub mod retention;
pub mod scan;
pub mod store;
pub mod tables;
pub mod walk;
