#[no_mangle]
pub extern "C" fn lib_value() -> i32 {
    42
}
