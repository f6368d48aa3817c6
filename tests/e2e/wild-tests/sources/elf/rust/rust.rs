//#CompArgs:-C debuginfo=1
//#Shared:rust-lib.rs
//#ExpectDynamic:DT_NEEDED

// A Rust program and a Rust cdylib, each built and linked by rustc.
extern "C" {
    fn lib_value() -> i32;
}

fn main() {
    std::process::exit(unsafe { lib_value() });
}
