//! Accepting connections: at most `max_connections` open at once (more wait, unaccepted,
//! until one closes), and each request's headers within `header_timeout` or the connection
//! is closed, so that connections which never finish a request cannot pile up.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, oneshot, watch};
use tokio::task::JoinSet;

/// How long a client may take to send a request's headers, and how many connections may
/// be open at once.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// From the connection's start, or from the end of the previous response on a kept-alive
    /// connection, to the end of the request headers. A response in progress (the
    /// live-reload stream) is not limited.
    pub header_timeout: Duration,
    /// Open connections, event streams included. A browser opens at most six to one server.
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            header_timeout: Duration::from_secs(10),
            max_connections: 256,
        }
    }
}

/// Serve `app` on `listener` until `stop` fires (or its sender goes away); then close idle
/// connections, let answers in progress finish, and return once every connection is closed.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    mut stop: oneshot::Receiver<()>,
) {
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let (closing, closed) = watch::channel(false);
    let mut open = JoinSet::new();
    loop {
        while open.try_join_next().is_some() {}
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => slot,
            _ = &mut stop => break,
        };
        let Ok(slot) = slot else { break };
        let stream = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = &mut stop => break,
        };
        match stream {
            Ok((stream, _)) => {
                open.spawn(connection(
                    stream,
                    app.clone(),
                    limits.header_timeout,
                    closed.clone(),
                    slot,
                ));
            }
            // The client gave up before it was accepted: nothing to do.
            Err(e) if is_connection_error(&e) => {}
            // Out of file descriptors or memory: wait for some to be freed rather than spin.
            Err(_) => {
                drop(slot);
                tokio::select! {
                    () = tokio::time::sleep(Duration::from_secs(1)) => {}
                    _ = &mut stop => break,
                }
            }
        }
    }
    let _ = closing.send(true);
    while open.join_next().await.is_some() {}
}

async fn connection(
    stream: TcpStream,
    app: Router,
    header_timeout: Duration,
    mut closing: watch::Receiver<bool>,
    _slot: OwnedSemaphorePermit,
) {
    let _ = stream.set_nodelay(true);
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(header_timeout);
    let conn = http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(app));
    let mut conn = std::pin::pin!(conn);
    tokio::select! {
        _ = conn.as_mut() => return,
        _ = closing.wait_for(|c| *c) => {}
    }
    conn.as_mut().graceful_shutdown();
    let _ = conn.await;
}

fn is_connection_error(e: &std::io::Error) -> bool {
    use std::io::ErrorKind;
    matches!(
        e.kind(),
        ErrorKind::ConnectionRefused | ErrorKind::ConnectionAborted | ErrorKind::ConnectionReset
    )
}
