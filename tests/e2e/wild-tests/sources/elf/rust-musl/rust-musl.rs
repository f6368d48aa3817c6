//#AbstractConfig:default

//#Config:static:default
//#CompArgs:--target x86_64-unknown-linux-musl -C relocation-model=static -C target-feature=+crt-static
//#RequiresRustMusl:true
//#Arch:x86_64

//#Config:nightly:default
//#RequiresNightlyRustc:true
//#CompArgs:-Ztls-model=initial-exec

fn main() {
    std::process::exit(42);
}
