//! A real SMTP server on loopback for the delivery tests: Python's aiosmtpd, writing each
//! message it accepts to a Maildir that the tests parse back.
//!
//! The interpreter is `FOLIODESK_PYTHON` (default `python3`); `scripts/test-all` points it
//! at its virtualenv, where it installs aiosmtpd. Without aiosmtpd the test fails saying
//! so, unless `FOLIODESK_SKIP=smtp` leaves it out.

#![allow(dead_code)] // each test target uses part of it

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Sink {
    child: Child,
    pub port: u16,
    dir: tempfile::TempDir,
}

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port nothing listens on (bound, then released).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Sink {
    /// Starts a plain server; `None` when the run opted out (`FOLIODESK_SKIP=smtp`).
    pub fn start() -> Option<Sink> {
        Sink::launch(|python, port, maildir| {
            let mut c = Command::new(python);
            c.args(["-m", "aiosmtpd", "-n", "-l"])
                .arg(format!("127.0.0.1:{port}"))
                .args(["-c", "aiosmtpd.handlers.Mailbox"])
                .arg(maildir);
            c
        })
    }

    /// Starts a server that speaks `tls` (`"starttls"`, or `"tls"` from the first byte)
    /// with the certificate and key files `cert` (PEM), asking for `login`
    /// (`user:password`) when given.
    pub fn start_tls(
        tls: &str,
        cert: &std::path::Path,
        key: &std::path::Path,
        login: Option<&str>,
    ) -> Option<Sink> {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/smtp_sink/server.py");
        Sink::launch(|python, port, maildir| {
            let mut c = Command::new(python);
            c.arg(script)
                .arg(port.to_string())
                .arg(maildir)
                .arg(tls)
                .arg(cert)
                .arg(key)
                .args(login);
            c
        })
    }

    fn launch(command: impl FnOnce(&str, u16, &std::path::Path) -> Command) -> Option<Sink> {
        if std::env::var("FOLIODESK_SKIP").is_ok_and(|v| v.split(',').any(|s| s.trim() == "smtp")) {
            eprintln!("FOLIODESK_SKIP: leaving out the SMTP delivery test");
            return None;
        }
        let python = std::env::var("FOLIODESK_PYTHON").unwrap_or_else(|_| "python3".into());
        let probe = Command::new(&python)
            .args(["-c", "import aiosmtpd"])
            .output()
            .unwrap_or_else(|e| panic!("cannot run {python}: {e}"));
        assert!(
            probe.status.success(),
            "aiosmtpd is needed for the SMTP tests: `{python} -m pip install aiosmtpd` (or set \
             FOLIODESK_PYTHON), or leave them out with FOLIODESK_SKIP=smtp"
        );
        let dir = tempfile::tempdir().unwrap();
        for sub in ["tmp", "new", "cur"] {
            std::fs::create_dir_all(dir.path().join("mail").join(sub)).unwrap();
        }
        let port = free_port();
        let child = command(&python, port, &dir.path().join("mail"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut sink = Sink { child, port, dir };
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = sink.child.try_wait() {
                panic!("the SMTP server stopped: {status}");
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "aiosmtpd did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Some(sink)
    }

    /// The raw messages received so far, oldest first.
    pub fn received(&self) -> Vec<Vec<u8>> {
        let new: PathBuf = self.dir.path().join("mail").join("new");
        let mut files: Vec<_> = std::fs::read_dir(new)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
        files.iter().map(|p| std::fs::read(p).unwrap()).collect()
    }
}
