//! Latency of `throughline lsp`, driven over stdio as an editor drives it.
//!
//! ```text
//! cargo build --release --example lsp_latency
//! cargo run --release --example bench -- gen /tmp/report-1000 1000
//! ./target/release/examples/lsp_latency --site /tmp/report-1000 --runs 40
//! ```
//!
//! Starts the server (`--bin`, default target/release/throughline) on the site, opens the
//! first roadmap item, then (1) changes it back and forth between a valid text and one with
//! an unknown field and times each change until the diagnostics of that file arrive (the
//! debounce included), (2) adds and removes a broken link in the body, which only the full
//! check finds, and times each until it shows or clears, (3) times completion requests
//! inside `outcomes: [`. Prints medians and p90s, and the server's peak memory (VmHWM).

use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

struct Args {
    site: PathBuf,
    bin: PathBuf,
    runs: usize,
}

fn args() -> Result<Args, String> {
    let mut args = Args {
        site: PathBuf::from("."),
        bin: PathBuf::from("target/release/throughline"),
        runs: 40,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or(format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--site" => args.site = PathBuf::from(value),
            "--bin" => args.bin = PathBuf::from(value),
            "--runs" => args.runs = value.parse().map_err(|_| "--runs takes a number")?,
            _ => return Err(format!("unknown flag {flag}")),
        }
    }
    Ok(args)
}

fn read_messages(out: impl Read, to: std::sync::mpsc::Sender<Value>) {
    let mut reader = BufReader::new(out);
    loop {
        let mut length = 0;
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header).unwrap_or(0) == 0 {
                return;
            }
            let header = header.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some(n) = header.strip_prefix("Content-Length: ") {
                length = n.parse().unwrap_or(0);
            }
        }
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let Ok(v) = serde_json::from_slice(&body) else {
            return;
        };
        if to.send(v).is_err() {
            return;
        }
    }
}

fn send(stdin: &mut impl Write, msg: Value) {
    let body = msg.to_string();
    let _ = write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len());
    let _ = stdin.flush();
}

/// The next message satisfying `want`, others dropped.
fn wait(rx: &Receiver<Value>, want: impl Fn(&Value) -> bool) -> Value {
    loop {
        match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(m) if want(&m) => return m,
            Ok(_) => {}
            Err(e) => panic!("no answer from the server: {e}"),
        }
    }
}

/// The whole text of the document, as a client with full synchronisation sends it.
fn change(stdin: &mut impl Write, uri: &str, version: impl Into<Value>, text: &str) {
    send(
        stdin,
        json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params":
               {"textDocument": {"uri": uri, "version": version.into()},
                "contentChanges": [{"text": text}]}}),
    );
}

fn stats(mut xs: Vec<f64>) -> (f64, f64) {
    xs.sort_by(f64::total_cmp);
    let at = |q: f64| xs[((xs.len() - 1) as f64 * q).round() as usize];
    (at(0.5), at(0.9))
}

fn main() {
    let args = match args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    };
    let site = args.site.canonicalize().expect("the site folder");
    let bin = args.bin.canonicalize().expect("the throughline program");
    let mut roadmap: Vec<PathBuf> = std::fs::read_dir(site.join("content/roadmap"))
        .expect("content/roadmap")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    roadmap.sort();
    let file = roadmap.first().expect("a roadmap item").clone();
    let uri = format!("file://{}", file.display());
    let valid = std::fs::read_to_string(&file).expect("the item");
    let broken = valid.replacen("---\n", "---\ncolour: blue\n", 1);
    let typing = valid.replacen("---\n", "---\noutcomes: [\n", 1);
    let linked = format!("{valid}\nSee [the plan](/roadmap/no-such-item/).\n");
    let docs = ["roadmap", "outcomes", "postmortems"]
        .iter()
        .map(|d| std::fs::read_dir(site.join("content").join(d)).map_or(0, |r| r.count()))
        .sum::<usize>();

    let mut child = Command::new(&bin)
        .arg("lsp")
        .current_dir(&site)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("start the server");
    let mut stdin = child.stdin.take().expect("stdin");
    let (tx, rx) = channel();
    let stdout = child.stdout.take().expect("stdout");
    std::thread::spawn(move || read_messages(stdout, tx));

    let started = Instant::now();
    let root_uri = format!("file://{}", site.display());
    send(
        &mut stdin,
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
               "params": {"processId": null, "rootUri": root_uri, "capabilities": {}}}),
    );
    wait(&rx, |m| m["id"] == 1);
    let init_ms = started.elapsed().as_secs_f64() * 1000.0;
    send(
        &mut stdin,
        json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}),
    );
    send(
        &mut stdin,
        json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params":
               {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": valid}}}),
    );
    std::thread::sleep(Duration::from_millis(300));
    while rx.try_recv().is_ok() {}

    let is_ours = |m: &Value| {
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == json!(uri)
    };
    let mut diag_ms = Vec::new();
    for run in 0..args.runs + 3 {
        let text = if run % 2 == 0 { &broken } else { &valid };
        let t = Instant::now();
        change(&mut stdin, &uri, run + 2, text);
        wait(&rx, is_ours);
        if run >= 3 {
            diag_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        // A pause between keystrokes, so that each change is checked on its own.
        std::thread::sleep(Duration::from_millis(30));
    }

    // What only a full check finds (a broken link in the body): published after the
    // longer pause and the build without writing.
    change(&mut stdin, &uri, 499, &valid);
    std::thread::sleep(Duration::from_millis(1500));
    while rx.try_recv().is_ok() {}
    let mut check_ms = Vec::new();
    let check_runs = args.runs.min(10);
    for run in 0..check_runs + 1 {
        let text = if run % 2 == 0 { &linked } else { &valid };
        let t = Instant::now();
        change(&mut stdin, &uri, 500 + run, text);
        let m = wait(&rx, is_ours);
        let found = m["params"]["diagnostics"].as_array().map_or(0, Vec::len);
        assert_eq!(
            found > 0,
            run % 2 == 0,
            "the broken link comes and goes: {m}"
        );
        if run >= 1 {
            check_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        }
    }

    change(&mut stdin, &uri, 1000, &typing);
    std::thread::sleep(Duration::from_millis(300));
    while rx.try_recv().is_ok() {}
    let mut completion_ms = Vec::new();
    let mut count = 0;
    for run in 0..args.runs + 3 {
        let id = 10_000 + run as i64;
        let t = Instant::now();
        send(
            &mut stdin,
            json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/completion", "params":
                   {"textDocument": {"uri": uri}, "position": {"line": 1, "character": 11}}}),
        );
        let answer = wait(&rx, |m| m["id"] == json!(id));
        count = answer["result"].as_array().map_or(0, Vec::len);
        if run >= 3 {
            completion_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        }
    }

    // Completion asked for while the full check runs: a change, then the request 120 ms
    // into the check (20 ms debounce + 300 ms pause + 120 ms).
    let mut busy_ms = Vec::new();
    for run in 0..args.runs.min(10) + 1 {
        let text = if run % 2 == 0 { &linked } else { &valid };
        change(&mut stdin, &uri, 2000 + run, text);
        std::thread::sleep(Duration::from_millis(440));
        let id = 20_000 + run as i64;
        let t = Instant::now();
        send(
            &mut stdin,
            json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/completion", "params":
                   {"textDocument": {"uri": uri}, "position": {"line": 1, "character": 11}}}),
        );
        wait(&rx, |m| m["id"] == json!(id));
        if run >= 1 {
            busy_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        // Let the check run again and finish before the next change.
        std::thread::sleep(Duration::from_millis(1500));
        while rx.try_recv().is_ok() {}
    }

    let status =
        std::fs::read_to_string(format!("/proc/{}/status", child.id())).unwrap_or_default();
    let peak = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .unwrap_or("VmHWM: unknown")
        .to_string();
    send(
        &mut stdin,
        json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": null}),
    );
    wait(&rx, |m| m["id"] == 2);
    send(
        &mut stdin,
        json!({"jsonrpc": "2.0", "method": "exit", "params": null}),
    );
    let _ = child.wait();

    let (d50, d90) = stats(diag_ms);
    let (c50, c90) = stats(completion_ms);
    let (k50, k90) = stats(check_ms);
    println!("site: {} ({docs} content documents)", site.display());
    println!("initialize answered: {init_ms:.0} ms");
    println!(
        "diagnostics after a change ({} runs, debounce included): median {d50:.1} ms, p90 {d90:.1} ms",
        args.runs
    );
    println!(
        "a full check's findings after a change ({check_runs} runs, both pauses included): median {k50:.1} ms, p90 {k90:.1} ms"
    );
    println!("completion in `outcomes: [` ({count} ids): median {c50:.1} ms, p90 {c90:.1} ms");
    let (b50, b90) = stats(busy_ms);
    println!("completion asked during the full check: median {b50:.1} ms, p90 {b90:.1} ms");
    println!("peak memory: {}", peak.trim_start_matches("VmHWM:").trim());
}
