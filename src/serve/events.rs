//! Live-reload events: every open page holds a server-sent event stream; a rebuild sends
//! `reload` (the changed URL paths) or `error` (the diagnostics) to all of them.
//!
//! Events are numbered (the SSE `id` field) and `hello` carries the number of the latest
//! one. Served pages carry the number they were served at, so a page that missed events
//! (sent while it was loading, or while it was away in the browser's back/forward cache)
//! asks for them (`/__throughline/missed?after=N`) and handles them as if it had been
//! listening: it reloads only if one of them concerns it.

use std::collections::VecDeque;
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
    clients: Mutex<Clients>,
}

struct Clients {
    /// None once the hub is closed.
    open: Option<Vec<mpsc::Sender<(u64, LiveEvent)>>>,
    /// The number of the latest event sent (0 before the first).
    last_id: u64,
    /// The latest events, for pages that missed them; the newest last.
    recent: VecDeque<(u64, LiveEvent)>,
}

/// An event as a page that missed it gets it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Missed {
    pub id: u64,
    pub name: &'static str,
    pub data: String,
}

impl Hub {
    pub fn new(server_id: String) -> Hub {
        Hub {
            server_id,
            clients: Mutex::new(Clients {
                open: Some(Vec::new()),
                last_id: 0,
                recent: VecDeque::with_capacity(BACKLOG),
            }),
        }
    }

    /// A new stream; it ends when the hub is closed.
    pub fn subscribe(&self) -> EventStream {
        let (tx, rx) = mpsc::channel(BACKLOG);
        let mut clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(open) = clients.open.as_mut() {
            open.push(tx);
        }
        EventStream {
            hello: Some(
                Event::default()
                    .event("hello")
                    .id(clients.last_id.to_string())
                    .retry(RETRY)
                    .data(&self.server_id),
            ),
            rx,
        }
    }

    /// Send to every open stream; streams whose page went away are dropped.
    pub fn send(&self, event: LiveEvent) {
        let mut clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        clients.last_id += 1;
        let id = clients.last_id;
        if clients.recent.len() == BACKLOG {
            clients.recent.pop_front();
        }
        clients.recent.push_back((id, event.clone()));
        if let Some(open) = clients.open.as_mut() {
            open.retain(|tx| match tx.try_send((id, event.clone())) {
                Ok(()) | Err(mpsc::error::TrySendError::Full(_)) => true,
                Err(mpsc::error::TrySendError::Closed(_)) => false,
            });
        }
    }

    /// The id of this server run, sent in `hello`.
    pub fn server_id(&self) -> &str {
        &self.server_id
    }

    /// The number of the latest event sent (0 before the first).
    pub fn last_id(&self) -> u64 {
        let clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        clients.last_id
    }

    /// The events after number `after`, oldest first; None when some of them are no longer
    /// kept (the page can only reload then).
    pub fn missed(&self, after: u64) -> Option<Vec<Missed>> {
        let clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        let oldest = clients
            .recent
            .front()
            .map_or(clients.last_id + 1, |(id, _)| *id);
        if after > clients.last_id || after + 1 < oldest {
            return None;
        }
        Some(
            clients
                .recent
                .iter()
                .filter(|(id, _)| *id > after)
                .map(|(id, e)| Missed {
                    id: *id,
                    name: e.name,
                    data: e.data.clone(),
                })
                .collect(),
        )
    }

    /// The number of open streams.
    pub fn clients(&self) -> usize {
        let clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        clients
            .open
            .as_ref()
            .map_or(0, |c| c.iter().filter(|tx| !tx.is_closed()).count())
    }

    /// End every stream, and refuse new ones, so the server can shut down.
    pub fn close(&self) {
        let mut clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        clients.open = None;
    }
}

/// The events of one page, as a stream for axum's `Sse`.
pub struct EventStream {
    hello: Option<Event>,
    rx: mpsc::Receiver<(u64, LiveEvent)>,
}

impl futures_core::Stream for EventStream {
    type Item = Result<Event, Infallible>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if let Some(hello) = this.hello.take() {
            return Poll::Ready(Some(Ok(hello)));
        }
        this.rx.poll_recv(cx).map(|e| {
            e.map(|(id, e)| {
                Ok(Event::default()
                    .event(e.name)
                    .id(id.to_string())
                    .data(e.data))
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reload(data: &str) -> LiveEvent {
        LiveEvent {
            name: "reload",
            data: data.to_string(),
        }
    }

    #[test]
    fn pages_get_the_events_they_missed_while_they_are_kept() {
        let hub = Hub::new("run".into());
        assert_eq!(hub.missed(0), Some(vec![]));
        hub.send(reload("[\"/a/\"]"));
        hub.send(reload("[]"));
        assert_eq!(hub.last_id(), 2);
        let missed = hub.missed(0).unwrap();
        assert_eq!(missed.iter().map(|m| m.id).collect::<Vec<_>>(), vec![1, 2]);
        assert_eq!(missed[0].data, "[\"/a/\"]");
        assert_eq!(hub.missed(1).unwrap().len(), 1);
        assert_eq!(hub.missed(2), Some(vec![]));
        // A number this run never sent: the page came from elsewhere.
        assert_eq!(hub.missed(3), None);

        for _ in 0..BACKLOG {
            hub.send(reload("[]"));
        }
        assert_eq!(hub.missed(0), None, "the first ones are gone");
        assert_eq!(hub.missed(2).unwrap().len(), BACKLOG);
    }
}
