//! The `wa-emulator` binary: CLI flags, startup time, bad input.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Kills the spawned emulator (by its handle) even when an assertion fails.
struct Guard(std::process::Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn binary_starts_fast_and_serves() {
    let t = Instant::now();
    let mut child = Guard(
        Command::new(env!("CARGO_BIN_EXE_wa-emulator"))
            .args(["--port", "0", "--throughput", "0", "--review-delay", "1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let stdout = child.0.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let first = rx.recv_timeout(Duration::from_secs(10)).unwrap();
    let startup = t.elapsed();
    println!(
        "startup (spawn → listening line): {} ms",
        startup.as_millis()
    );
    // Generous bound for a loaded CI box; the bench reports the real figure (≈ 10–20 ms).
    assert!(startup < Duration::from_secs(3), "{startup:?}");
    let addr = first
        .split("http://")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned();
    let r = common::try_request(&addr, "GET", "/_emulator/health", &[], vec![])
        .await
        .unwrap();
    assert_eq!(r.status, 200);
    // One log line per request.
    let line = rx.recv_timeout(Duration::from_secs(5)).unwrap();
    assert!(line.contains("GET /_emulator/health 200"), "{line}");
    drop(child);
}

#[test]
fn cli_flags_parse() {
    let args = |v: &[&str]| wa_emulator::parse_args(v.iter().map(|s| s.to_string()));
    let cli = args(&[
        "--port",
        "9000",
        "--webhook-url",
        "http://127.0.0.1:1/h",
        "--app-secret",
        "s",
        "--throughput",
        "0",
        "--pair-burst=10",
        "--pair-interval",
        "2.5",
        "--review-delay",
        "0",
        "--status-interval-ms",
        "5",
        "--no-read-receipts",
        "--async-failures",
        "--quiet",
        "--host",
        "0.0.0.0",
    ])
    .unwrap()
    .unwrap();
    assert_eq!((cli.port, cli.host.as_str()), (9000, "0.0.0.0"));
    let c = cli.config;
    assert_eq!(c.webhook_url.as_deref(), Some("http://127.0.0.1:1/h"));
    assert_eq!(c.app_secret.as_deref(), Some("s"));
    assert_eq!(
        (c.throughput, c.pair_burst, c.status_interval_ms),
        (0, 10, 5)
    );
    assert_eq!((c.pair_interval_secs, c.review_delay_secs), (2.5, 0.0));
    assert!(!c.read_receipts && c.async_failures && !c.log_requests);
    assert!(args(&["--help"]).unwrap().is_none());
    assert!(args(&["--port", "x"]).is_err());
    assert!(args(&["--bogus"]).is_err());
    assert!(args(&["--webhook-url", "https://example.com"]).is_err());
    assert!(args(&["--seed", "/nonexistent/fixture.json"]).is_err());
}

#[test]
fn bad_fixture_is_reported_not_panicked() {
    let cfg = wa_emulator::Config {
        fixture: "{\"app\":1}".into(),
        ..Default::default()
    };
    assert!(wa_emulator::App::new(cfg).is_err());
    let ok = wa_emulator::App::new(wa_emulator::Config::default());
    assert!(ok.is_ok());
}
