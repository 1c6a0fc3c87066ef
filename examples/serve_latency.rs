//! Edit → `reload` latency of `throughline serve`, debounce included.
//!
//! ```text
//! cargo run --release --example serve_latency -- --site . --runs 40
//! cargo run --release --example bench -- gen /tmp/report-1000 1000
//! cargo run --release --example serve_latency -- --site /tmp/report-1000 --runs 40
//! ```
//!
//! Starts the server in-process on a copy of the site, subscribes to the event stream, then
//! saves one roadmap item the way editors do (temp file + rename) and times until the
//! `reload` event naming its page. Prints the median and p90 over the runs.

use std::fs;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use throughline::serve::{self, Options};
use throughline::site::BuildOptions;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::time::timeout;

struct Args {
    site: PathBuf,
    runs: usize,
}

fn args() -> Result<Args, String> {
    let mut args = Args {
        site: PathBuf::from("."),
        runs: 30,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or(format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--site" => args.site = PathBuf::from(value),
            "--runs" => args.runs = value.parse().map_err(|_| "--runs takes a number")?,
            _ => return Err(format!("unknown flag {flag}")),
        }
    }
    Ok(args)
}

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

/// A copy of the site's sources (not its output or anything else in the folder).
fn copy_site(from: &Path, to: &Path) -> std::io::Result<()> {
    fs::copy(from.join("site.yaml"), to.join("site.yaml"))?;
    for dir in ["content", "templates", "static", "themes"] {
        if from.join(dir).is_dir() {
            copy_dir(&from.join(dir), &to.join(dir))?;
        }
    }
    Ok(())
}

struct Events(BufReader<TcpStream>);

impl Events {
    async fn connect(addr: SocketAddr) -> std::io::Result<Events> {
        let mut stream = TcpStream::connect(addr).await?;
        stream
            .write_all(b"GET /__throughline/events HTTP/1.0\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n")
            .await?;
        Ok(Events(BufReader::new(stream)))
    }

    /// The data of the next event named `name`.
    async fn next(&mut self, name: &str) -> std::io::Result<String> {
        let mut current = String::new();
        loop {
            let mut line = String::new();
            if self.0.read_line(&mut line).await? == 0 {
                return Err(std::io::Error::other("the event stream ended"));
            }
            let line = line.trim_end();
            if let Some(n) = line.strip_prefix("event:") {
                current = n.trim().to_string();
            } else if let Some(d) = line.strip_prefix("data:")
                && current == name
            {
                return Ok(d.trim().to_string());
            }
        }
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = args()?;
    let dir = tempfile::tempdir()?;
    let root = dir.path();
    copy_site(&args.site, root)?;
    let count = |kind: &str| fs::read_dir(root.join("content").join(kind)).map_or(0, |d| d.count());
    let what = format!(
        "{} ({} items, {} outcomes, {} post-mortems)",
        args.site.display(),
        count("roadmap"),
        count("outcomes"),
        count("postmortems")
    );
    let mut items: Vec<PathBuf> = fs::read_dir(root.join("content/roadmap"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    items.sort();
    let item = items
        .get(items.len() / 2)
        .ok_or("the site has no roadmap items")?
        .clone();
    let stem = item
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let page = format!("/roadmap/{stem}/");
    let original = fs::read_to_string(&item)?;

    let started = Instant::now();
    let server = serve::start(Options {
        build: BuildOptions {
            root: root.to_path_buf(),
            ..BuildOptions::default()
        },
        addr: "127.0.0.1:0".parse()?,
        log: false,
        allow_hosts: Vec::new(),
        limits: serve::Limits::default(),
    })
    .await?;
    println!(
        "{what}: first build and server up in {} ms",
        started.elapsed().as_millis()
    );
    let mut events = Events::connect(server.addr).await?;
    timeout(Duration::from_secs(10), events.next("hello")).await??;

    let warmup = 3;
    let (mut page_times, mut all_times) = (Vec::new(), Vec::new());
    for run in 0..warmup + args.runs {
        let temp = item.with_file_name(format!(".{stem}.md.tmp"));
        fs::write(&temp, format!("{original}\nEdit number {run}.\n"))?;
        let t = Instant::now();
        fs::rename(&temp, &item)?;
        loop {
            let data = timeout(Duration::from_secs(10), events.next("reload")).await??;
            if data.contains(&page) {
                break;
            }
        }
        let page_ms = t.elapsed().as_secs_f64() * 1000.0;
        // The pages built from everything follow in a second reload; the run is over when
        // the server has been quiet for a while.
        let mut all_ms = page_ms;
        while timeout(Duration::from_millis(600), events.next("reload"))
            .await
            .is_ok()
        {
            all_ms = t.elapsed().as_secs_f64() * 1000.0;
        }
        if run >= warmup {
            page_times.push(page_ms);
            all_times.push(all_ms);
        }
    }
    server.stop().await;
    for (what, times) in [
        ("edit → reload of the edited page", &mut page_times),
        ("edit → every page rendered", &mut all_times),
    ] {
        times.sort_by(f64::total_cmp);
        println!(
            "{what}, {} runs: median {:.1} ms, p90 {:.1} ms, min {:.1} ms, max {:.1} ms",
            times.len(),
            percentile(times, 0.5),
            percentile(times, 0.9),
            times[0],
            times[times.len() - 1]
        );
    }
    Ok(())
}
