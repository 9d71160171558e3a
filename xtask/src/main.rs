//! `cargo run -p xtask -- bindings [--check]`: writes (or checks) the generated Python and
//! Node layers.

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["bindings"] => {
            for (path, text) in xtask::generated() {
                if let Err(e) = std::fs::write(xtask::root().join(path), text) {
                    eprintln!("cannot write {path}: {e}");
                    return ExitCode::FAILURE;
                }
                println!("wrote {path}");
            }
            ExitCode::SUCCESS
        }
        ["bindings", "--check"] => match xtask::stale()[..] {
            [] => ExitCode::SUCCESS,
            ref stale => {
                eprintln!("stale: {stale:?}; run `cargo run -p xtask -- bindings`");
                ExitCode::FAILURE
            }
        },
        _ => {
            eprintln!("usage: cargo run -p xtask -- bindings [--check]");
            ExitCode::FAILURE
        }
    }
}
