//! streamsql-compiler: Flink/Blink streaming SQL -> specialised Rust.
//!
//! Stages, one module each, each with its own input and output types:
//! [`parse`] (text -> [`ast::Script`]), [`bind`] (script -> [`plan::Job`]: catalog,
//! name resolution, types, validation, logical plan), [`codegen`] (job -> Rust tokens).
//! The macro, the build-script API ([`Build`]) and the `streamsql` CLI all call
//! [`compile`], so they produce the same code and the same errors.
//!
//! This crate does no IO except in [`Build`] (which reads job files and writes into
//! `OUT_DIR`) and the CLI binary; it never touches `proc_macro`.

pub mod ast;
pub mod bind;
pub mod diagnostic;
pub mod parse;
pub mod plan;
pub mod types;
