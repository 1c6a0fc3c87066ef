//! Live-reload events: every open page holds a server-sent event stream; a rebuild sends
//! `reload` (the changed URL paths) or `error` (the diagnostics) to all of them.

use std::convert::Infallible;
use std::pin::Pin;
use std::sync::Mutex;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::response::sse::Event;
use tokio::sync::mpsc;

/// One event for the pages: its name and its data (JSON, one line).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LiveEvent {
    pub name: &'static str,
    pub data: String,
}

/// How long a browser waits before reconnecting after the stream drops.
const RETRY: Duration = Duration::from_millis(500);
/// Events a slow page may fall behind by before it misses some.
const BACKLOG: usize = 64;

/// The open event streams.
pub struct Hub {
    /// Sent first on every stream, so a page that reconnects can tell that the server was
    /// restarted (and reload).
    server_id: String,
    clients: Mutex<Option<Vec<mpsc::Sender<LiveEvent>>>>,
}

impl Hub {
    pub fn new(server_id: String) -> Hub {
        Hub {
            server_id,
            clients: Mutex::new(Some(Vec::new())),
        }
    }

    /// A new stream; it ends when the hub is closed.
    pub fn subscribe(&self) -> EventStream {
        let (tx, rx) = mpsc::channel(BACKLOG);
        let mut clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(clients) = clients.as_mut() {
            clients.push(tx);
        }
        EventStream {
            hello: Some(
                Event::default()
                    .event("hello")
                    .retry(RETRY)
                    .data(&self.server_id),
            ),
            rx,
        }
    }

    /// Send to every open stream; streams whose page went away are dropped.
    pub fn send(&self, event: LiveEvent) {
        let mut clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(clients) = clients.as_mut() {
            clients.retain(|tx| match tx.try_send(event.clone()) {
                Ok(()) | Err(mpsc::error::TrySendError::Full(_)) => true,
                Err(mpsc::error::TrySendError::Closed(_)) => false,
            });
        }
    }

    /// The number of open streams.
    pub fn clients(&self) -> usize {
        let clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        clients
            .as_ref()
            .map_or(0, |c| c.iter().filter(|tx| !tx.is_closed()).count())
    }

    /// End every stream, and refuse new ones, so the server can shut down.
    pub fn close(&self) {
        let mut clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        *clients = None;
    }
}

/// The events of one page, as a stream for axum's `Sse`.
pub struct EventStream {
    hello: Option<Event>,
    rx: mpsc::Receiver<LiveEvent>,
}

impl futures_core::Stream for EventStream {
    type Item = Result<Event, Infallible>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if let Some(hello) = this.hello.take() {
            return Poll::Ready(Some(Ok(hello)));
        }
        this.rx
            .poll_recv(cx)
            .map(|e| e.map(|e| Ok(Event::default().event(e.name).data(e.data))))
    }
}
