//! Bad SQL as a user meets it: every `tests/ui/<category>/*.rs` must fail to compile
//! with exactly its `.stderr` (regenerate with `TRYBUILD=overwrite`, review the diff).

#[test]
fn compile_fail() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*/*.rs");
}
