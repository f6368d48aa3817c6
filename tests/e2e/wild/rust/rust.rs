//#RunEnabled:false

fn main() {}
