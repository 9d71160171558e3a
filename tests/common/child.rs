//! A child process running one ignored test of the current test binary, killed with
//! SIGKILL at a chosen moment: for crash tests that check what was acknowledged survives.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc::{channel, RecvTimeoutError};
use std::time::{Duration, Instant};

/// Runs the ignored test `name` of this binary with `env` set; kills it `kill_after` its
/// first printed line, or lets it finish. Returns the lines it printed before it died.
pub fn run_child(name: &str, env: (&str, &str), kill_after: Option<Duration>) -> Vec<String> {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", name, "--ignored", "--nocapture", "--quiet"])
        .env(env.0, env.1)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let (tx, rx) = channel();
    let reader = std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut printed = Vec::new();
    let mut first_line: Option<Instant> = None;
    loop {
        if let (Some(t), Some(after)) = (first_line, kill_after) {
            if t.elapsed() >= after {
                child.kill().unwrap(); // SIGKILL on Unix
                break;
            }
        }
        match rx.recv_timeout(Duration::from_millis(5)) {
            Ok(line) => {
                first_line.get_or_insert_with(Instant::now);
                printed.push(line);
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => break,
        }
    }
    child.wait().unwrap();
    reader.join().unwrap();
    printed.extend(rx.try_iter());
    printed
}

/// A small deterministic generator, so a failing run can be repeated.
pub fn next(seed: &mut u64) -> u64 {
    *seed = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    *seed >> 33
}
