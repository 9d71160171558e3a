//! A private Dovecot (Debian `dovecot-imapd`) on loopback for one test, with its own
//! configuration file, a passwd-file user and Maildir in a temporary directory: clear text
//! on one port, TLS with a certificate the test's own CA signed on another. Stopped with
//! `doveadm stop` when dropped. Missing Dovecot fails the test unless the run leaves it
//! out with `FOLIODESK_SKIP=imap`.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};

pub const USER: &str = "soporte";
pub const PASSWORD: &str = "secreto";

pub struct Dovecot {
    dir: tempfile::TempDir,
    conf: PathBuf,
    /// Clear text (loopback only).
    pub port: u16,
    /// TLS from the first byte.
    pub tls_port: u16,
    /// The CA that signed the server's certificate (PEM).
    pub ca: PathBuf,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn binary(name: &str) -> Option<PathBuf> {
    ["/usr/sbin", "/usr/bin", "/sbin", "/bin"]
        .iter()
        .map(|d| Path::new(d).join(name))
        .find(|p| p.exists())
}

/// A CA and a certificate for 127.0.0.1 it signed, written to `dir`.
fn pki(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().unwrap()).unwrap();
    let key = KeyPair::generate().unwrap();
    let cert = CertificateParams::new(vec!["127.0.0.1".to_owned(), "localhost".to_owned()])
        .unwrap()
        .signed_by(&key, &ca)
        .unwrap();
    let (c, s, k) = (
        dir.join("ca.pem"),
        dir.join("cert.pem"),
        dir.join("key.pem"),
    );
    std::fs::write(&c, ca.pem()).unwrap();
    std::fs::write(&s, cert.pem()).unwrap();
    std::fs::write(&k, key.serialize_pem()).unwrap();
    (c, s, k)
}

impl Dovecot {
    /// Starts one, or `None` when the run leaves IMAP out.
    pub fn start() -> Option<Dovecot> {
        if std::env::var("FOLIODESK_SKIP").is_ok_and(|v| v.split(',').any(|s| s.trim() == "imap")) {
            eprintln!("FOLIODESK_SKIP: leaving out the IMAP tests");
            return None;
        }
        let dovecot = binary("dovecot").expect(
            "Dovecot is needed for the IMAP tests: `apt-get install dovecot-imapd` (scripts/\
             test-all and .ci/run do), or leave them out with FOLIODESK_SKIP=imap",
        );
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        // Dovecot's auth process runs as its own user and must reach the passwd file.
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o755)).unwrap();
        for sub in ["run", "state", "mail"] {
            std::fs::create_dir_all(d.join(sub)).unwrap();
        }
        // Dovecot refuses to deliver as root: as root the mail belongs to `dovenull`.
        let root = Command::new("id").arg("-u").output().unwrap().stdout == b"0\n";
        let (owner, first_uid) = if root {
            let chown = Command::new("chown")
                .args(["-R", "dovenull:dovenull"])
                .arg(d.join("mail"))
                .status()
                .unwrap();
            assert!(chown.success());
            ("uid=dovenull gid=dovenull".to_owned(), 100)
        } else {
            let out = |flag: &str| {
                let o = Command::new("id").arg(flag).output().unwrap().stdout;
                String::from_utf8(o).unwrap().trim().to_owned()
            };
            (format!("uid={} gid={}", out("-u"), out("-g")), 0)
        };
        std::fs::write(d.join("passwd"), format!("{USER}:{{PLAIN}}{PASSWORD}\n")).unwrap();
        let (ca, cert, key) = pki(d);
        let (port, tls_port) = (free_port(), free_port());
        let p = |s: &str| d.join(s).display().to_string();
        let conf = format!(
            "base_dir = {run}\nstate_dir = {state}\nlog_path = {log}\nprotocols = imap\n\
             listen = 127.0.0.1\nssl = yes\nssl_cert = <{cert}\nssl_key = <{key}\n\
             disable_plaintext_auth = no\nauth_mechanisms = plain login\n\
             first_valid_uid = {first_uid}\n\
             passdb {{\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u {passwd}\n}}\n\
             userdb {{\n  driver = static\n  args = {owner} home={mail}/%u\n}}\n\
             mail_location = maildir:{mail}/%u/Maildir\n\
             service imap-login {{\n  inet_listener imap {{\n    port = {port}\n  }}\n\
               inet_listener imaps {{\n    port = {tls_port}\n    ssl = yes\n  }}\n  chroot =\n}}\n\
             service anvil {{\n  chroot =\n}}\n",
            run = p("run"),
            state = p("state"),
            log = p("dovecot.log"),
            passwd = p("passwd"),
            mail = p("mail"),
            cert = cert.display(),
            key = key.display(),
        );
        let conf_path = d.join("dovecot.conf");
        std::fs::write(&conf_path, conf).unwrap();
        let started = Command::new(dovecot)
            .arg("-c")
            .arg(&conf_path)
            .status()
            .unwrap();
        assert!(started.success(), "dovecot did not start: see its log");
        let server = Dovecot {
            dir,
            conf: conf_path,
            port,
            tls_port,
            ca,
        };
        let t0 = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                t0.elapsed() < Duration::from_secs(10),
                "dovecot is not listening: {}",
                server.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Some(server)
    }

    /// Its log, for failure messages.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("dovecot.log")).unwrap_or_default()
    }
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        if let Some(doveadm) = binary("doveadm") {
            let _ = Command::new(doveadm)
                .arg("-c")
                .arg(&self.conf)
                .arg("stop")
                .status();
        }
    }
}
