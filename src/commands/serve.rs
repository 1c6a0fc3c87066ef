//! `throughline serve`: build into memory, serve on localhost, rebuild on change and reload
//! open pages.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::process::{Command, Stdio};

use crate::cli::ServeArgs;
use crate::serve::{self, Options};

use super::Exit;

pub fn run(args: &ServeArgs) -> Exit {
    let build = match super::build::options(
        &args.root,
        args.base_url.as_deref(),
        args.as_of.as_deref(),
        args.drafts,
    ) {
        Ok(o) => crate::site::BuildOptions {
            since: args.since.clone(),
            ..o
        },
        Err(e) => {
            eprintln!("error: {e}");
            return Exit::Usage;
        }
    };
    let ip = match interface(&args.interface) {
        Ok(ip) => ip,
        Err(e) => {
            eprintln!("error: {e}");
            return Exit::Usage;
        }
    };
    if !ip.is_loopback() {
        eprintln!(
            "warning: serving on {ip}: anyone who can reach this machine on the network can read the site"
        );
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the server: {e}");
            return Exit::Usage;
        }
    };
    runtime.block_on(async {
        let running = match serve::start(Options {
            build,
            addr: SocketAddr::new(ip, args.port),
            log: true,
            allow_hosts: args.allow_hosts.clone(),
            limits: serve::Limits::default(),
        })
        .await
        {
            Ok(r) => r,
            Err(e) => {
                eprintln!("error: {e}");
                return Exit::Usage;
            }
        };
        println!("serving on {}", running.url);
        if args.open {
            open_browser(&running.url);
        }
        eprintln!("watching for changes; press Ctrl+C to stop");
        if tokio::signal::ctrl_c().await.is_err() {
            // No way to hear Ctrl+C: serve until the process is killed.
            std::future::pending::<()>().await;
        }
        running.stop().await;
        Exit::Ok
    })
}

/// `--interface`: an IP address, or `localhost`.
fn interface(text: &str) -> Result<IpAddr, String> {
    if text.eq_ignore_ascii_case("localhost") {
        return Ok(IpAddr::V4(Ipv4Addr::LOCALHOST));
    }
    text.parse().map_err(|_| {
        format!(
            "invalid --interface `{text}`: expected an IP address such as 127.0.0.1, ::1 or 0.0.0.0"
        )
    })
}

/// Best effort: a missing opener only costs the user a click.
fn open_browser(url: &str) {
    let (program, args): (&str, Vec<&str>) = if cfg!(target_os = "macos") {
        ("open", vec![url])
    } else if cfg!(windows) {
        ("cmd", vec!["/C", "start", "", url])
    } else {
        ("xdg-open", vec![url])
    };
    let child = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    match child {
        Ok(mut child) => {
            std::thread::spawn(move || {
                let _ = child.wait();
            });
        }
        Err(_) => eprintln!("note: could not open a browser; open {url}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interfaces() {
        assert_eq!(interface("127.0.0.1"), Ok(IpAddr::V4(Ipv4Addr::LOCALHOST)));
        assert_eq!(interface("localhost"), Ok(IpAddr::V4(Ipv4Addr::LOCALHOST)));
        assert!(interface("::1").is_ok_and(|ip| ip.is_loopback()));
        assert!(interface("0.0.0.0").is_ok_and(|ip| !ip.is_loopback()));
        assert!(interface("example.com").is_err());
    }
}
