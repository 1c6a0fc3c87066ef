//! Which `Host` headers the preview answers. A web page can make a browser send requests to
//! the preview under its own domain name by pointing that name at 127.0.0.1 (DNS
//! rebinding) and then read the answers, drafts and error overlay included; the `Host`
//! header still carries the page's name, so only names of this server are answered.

use std::net::IpAddr;

/// The names the preview answers to: the loopback names, the address it is bound to and
/// the names given with `--allow-host`.
#[derive(Clone, Debug)]
pub struct AllowedHosts {
    /// Lowercase, IPv6 addresses in brackets.
    names: Vec<String>,
    /// From `--allow-host .example.test`: `example.test` and every name under it, stored
    /// with the leading dot.
    domains: Vec<String>,
}

/// What a request's `Host` says about it.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    Allowed,
    /// No `Host` header, or two, or one that is not a host with an optional port.
    Malformed,
    /// A well-formed host this server does not answer to: its name, without the port.
    Refused(String),
}

impl AllowedHosts {
    /// The loopback names, the bound address and each `--allow-host` value, checked.
    pub fn new(bound: IpAddr, extra: &[String]) -> Result<AllowedHosts, String> {
        let mut names: Vec<String> = vec!["localhost".into(), "127.0.0.1".into(), "[::1]".into()];
        names.push(ip_host(bound));
        let mut domains = Vec::new();
        for value in extra {
            let name = allow_host_value(value)?;
            if name.starts_with('.') {
                domains.push(name);
            } else {
                names.push(name);
            }
        }
        names.sort();
        names.dedup();
        Ok(AllowedHosts { names, domains })
    }

    /// The verdict on a request: every `Host` header it has, and the authority of an
    /// absolute request target (`GET http://name/ HTTP/1.1`), which stands for the host.
    pub fn check<'a>(
        &self,
        mut hosts: impl Iterator<Item = &'a [u8]>,
        authority: Option<&str>,
    ) -> Verdict {
        let (Some(header), None) = (hosts.next(), hosts.next()) else {
            return Verdict::Malformed;
        };
        let Some(name) = std::str::from_utf8(header).ok().and_then(host_name) else {
            return Verdict::Malformed;
        };
        if let Some(authority) = authority {
            match host_name(authority) {
                Some(other) if self.allows(&other) => {}
                Some(other) => return Verdict::Refused(other),
                None => return Verdict::Malformed,
            }
        }
        if self.allows(&name) {
            Verdict::Allowed
        } else {
            Verdict::Refused(name)
        }
    }

    fn allows(&self, name: &str) -> bool {
        self.names.iter().any(|n| n == name)
            || self
                .domains
                .iter()
                .any(|d| name.ends_with(d.as_str()) || name == &d[1..])
    }
}

/// An address as it is written in a `Host` header: `127.0.0.1`, `[::1]`.
fn ip_host(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => format!("[{v6}]"),
    }
}

/// The host of a `Host` header value (`name`, `name:port`, `[v6]`, `[v6]:port`), lowercase,
/// without a trailing dot; `None` when it is not one.
pub fn host_name(value: &str) -> Option<String> {
    let (host, port) = if let Some(rest) = value.strip_prefix('[') {
        let (v6, port) = rest.split_once(']')?;
        let ip: std::net::Ipv6Addr = v6.parse().ok()?;
        (format!("[{ip}]"), port)
    } else {
        let (host, port) = value.split_at(value.find(':').unwrap_or(value.len()));
        let host = host.strip_suffix('.').unwrap_or(host);
        if !is_dns_name(host) {
            return None;
        }
        (host.to_ascii_lowercase(), port)
    };
    let port_ok = match port.strip_prefix(':') {
        None => port.is_empty(),
        Some(digits) => {
            (1..=5).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
        }
    };
    port_ok.then_some(host)
}

/// Letters, digits, `-` and `.`, in labels that are not empty: host names and IPv4
/// addresses.
fn is_dns_name(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 253
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

/// An `--allow-host` value: a host name or address as a browser's address bar has it
/// (`preview.example.test`, `192.168.1.20`, `[::1]` or `::1`), or `.example.test` for that
/// name and every name under it. No scheme, port or path.
fn allow_host_value(value: &str) -> Result<String, String> {
    let text = value.trim();
    let unbracketed = text
        .strip_prefix('[')
        .and_then(|t| t.strip_suffix(']'))
        .unwrap_or(text);
    if let Ok(ip) = unbracketed.parse::<IpAddr>() {
        return Ok(ip_host(ip));
    }
    let (dot, name) = match text.strip_prefix('.') {
        Some(name) => (".", name),
        None => ("", text),
    };
    // host_name would drop a port; refuse one rather than ignore it.
    match host_name(name) {
        Some(host) if !name.contains(':') => Ok(format!("{dot}{host}")),
        _ => Err(format!(
            "invalid --allow-host `{value}`: expected a host name such as preview.example.test \
             (or .example.test for it and every name under it), without scheme, port or path"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{Ipv4Addr, Ipv6Addr};

    fn hosts(extra: &[&str]) -> AllowedHosts {
        let extra: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
        AllowedHosts::new(IpAddr::V4(Ipv4Addr::LOCALHOST), &extra).unwrap()
    }

    fn verdict(h: &AllowedHosts, host: &str) -> Verdict {
        h.check(std::iter::once(host.as_bytes()), None)
    }

    #[test]
    fn host_names_drop_the_port_and_case() {
        assert_eq!(host_name("LocalHost:1111"), Some("localhost".into()));
        assert_eq!(host_name("localhost."), Some("localhost".into()));
        assert_eq!(host_name("127.0.0.1"), Some("127.0.0.1".into()));
        assert_eq!(host_name("[::1]:80"), Some("[::1]".into()));
        assert_eq!(host_name("[0:0::1]"), Some("[::1]".into()));
        for bad in [
            "", ":80", "a b", "a:b", "a:", "a:123456", "::1", "[::1", "[::1]x", "a..b", "a/b",
            "a@b",
        ] {
            assert_eq!(host_name(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn loopback_names_and_the_bound_address_are_answered() {
        let h = hosts(&[]);
        for ok in [
            "localhost",
            "localhost:1111",
            "127.0.0.1:1",
            "[::1]:1111",
            "LOCALHOST",
        ] {
            assert_eq!(verdict(&h, ok), Verdict::Allowed, "{ok}");
        }
        for (host, name) in [
            ("evil.example:1111", "evil.example"),
            ("127.0.0.2", "127.0.0.2"),
            ("localhost.evil.example", "localhost.evil.example"),
            ("192.168.1.20", "192.168.1.20"),
        ] {
            assert_eq!(verdict(&h, host), Verdict::Refused(name.into()), "{host}");
        }
        let lan = AllowedHosts::new(IpAddr::V4(Ipv4Addr::new(192, 168, 1, 20)), &[]).unwrap();
        assert_eq!(verdict(&lan, "192.168.1.20:1111"), Verdict::Allowed);
        assert_eq!(verdict(&lan, "localhost"), Verdict::Allowed);
        let any6 = AllowedHosts::new(IpAddr::V6(Ipv6Addr::UNSPECIFIED), &[]).unwrap();
        assert_eq!(verdict(&any6, "[::]:1111"), Verdict::Allowed);
    }

    #[test]
    fn allow_host_adds_names_and_domains() {
        let h = hosts(&["Preview.Example.test", ".tunnel.test", "10.0.0.7", "::2"]);
        for ok in [
            "preview.example.test:8080",
            "tunnel.test",
            "abc.tunnel.test",
            "a.b.tunnel.test",
            "10.0.0.7",
            "[::2]:1",
        ] {
            assert_eq!(verdict(&h, ok), Verdict::Allowed, "{ok}");
        }
        for no in [
            "example.test",
            "other.preview.example.test",
            "eviltunnel.test",
        ] {
            assert!(matches!(verdict(&h, no), Verdict::Refused(_)), "{no}");
        }
        for bad in [
            "http://x.test",
            "x.test:8080",
            "x.test/",
            "",
            ".",
            "a b",
            "[x]",
        ] {
            let err =
                AllowedHosts::new(IpAddr::V4(Ipv4Addr::LOCALHOST), &[bad.to_string()]).unwrap_err();
            assert!(
                err.starts_with(&format!("invalid --allow-host `{bad}`")),
                "{err}"
            );
        }
    }

    #[test]
    fn missing_repeated_or_garbled_hosts_are_malformed() {
        let h = hosts(&[]);
        assert_eq!(h.check(std::iter::empty(), None), Verdict::Malformed);
        let two = [b"localhost".as_slice(), b"localhost".as_slice()];
        assert_eq!(h.check(two.into_iter(), None), Verdict::Malformed);
        assert_eq!(verdict(&h, "local host"), Verdict::Malformed);
        assert_eq!(
            h.check(std::iter::once(b"\xff".as_slice()), None),
            Verdict::Malformed
        );
    }

    #[test]
    fn an_absolute_request_target_must_name_an_allowed_host_too() {
        let h = hosts(&[]);
        let host = std::iter::once(b"localhost".as_slice());
        assert_eq!(
            h.check(host.clone(), Some("evil.example")),
            Verdict::Refused("evil.example".into())
        );
        assert_eq!(h.check(host, Some("127.0.0.1:1111")), Verdict::Allowed);
    }
}
