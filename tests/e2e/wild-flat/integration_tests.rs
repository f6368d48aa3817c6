// A runner in the shape of Wild 0.8's tests/integration_tests.rs: its
// integration_test function lists the tests; the other files of sources/
// are what they use. linkmatrix reads the list, nothing else of it.
#[rstest]
fn integration_test(
    #[values(
        "flat-trivial.c",
        "flat-deps.c",
        "flat-error.c",
        "flat-rust.rs"
    )]
    program_name: &'static str,
) -> Result {
    Ok(())
}
