//! Cross-crate test support. [`harness`]: the differential harness against Apache
//! Flink (the tests that drive it are in `tests/tests/`).

pub mod harness;
