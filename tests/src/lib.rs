//! Cross-crate test support. [`harness`]: the differential harness against Apache
//! Flink (the tests that drive it are in `tests/tests/`); [`support`]: a TCP proxy
//! for databases that are away, unique names, scratch directories.

pub mod harness;
pub mod support;
