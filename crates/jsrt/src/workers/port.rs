//! Message ports: the process-wide registry of entangled port pairs, each port's queue of
//! messages, and the thread that receives them.
//!
//! A port is a number; its state lives here, not in any JS runtime, so a port can move to
//! another thread (transferred in a message) and messages can be posted to it from any
//! thread. A port *started* on a thread (a `message` listener, `start()`, or a worker's
//! `parentPort`) has a home: posting to it wakes that thread's event loop, which drains the
//! queue ([`deliver`]). A closed port's peer learns of it ([`close`]), as in Node.
//!
//! Invariants: the registry's lock is never held while JS runs or while a message is
//! dropped (dropping one may close the ports it carries); a port is delivered by at most one
//! task at a time (`scheduled`).

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use super::message::Message;
use crate::event_loop::{Settle, Waker};

/// Where a started port's messages go: the thread's loop, and what it runs there.
pub struct Home {
    pub waker: Waker,
    /// Builds the task that delivers port `id`'s queue on the home thread.
    pub deliver: fn(u64) -> Settle,
}

struct Port {
    peer: Option<u64>,
    queue: VecDeque<Message>,
    home: Option<Home>,
    /// A delivery task is on its way to the home thread.
    scheduled: bool,
}

static PORTS: Mutex<Option<HashMap<u64, Port>>> = Mutex::new(None);
static NEXT: AtomicU64 = AtomicU64::new(1);

fn with_ports<T>(f: impl FnOnce(&mut HashMap<u64, Port>) -> T) -> T {
    let mut ports = PORTS.lock().unwrap_or_else(|e| e.into_inner());
    f(ports.get_or_insert_with(HashMap::new))
}

/// A new entangled pair.
pub fn channel() -> (u64, u64) {
    let a = NEXT.fetch_add(2, Ordering::Relaxed);
    let b = a + 1;
    with_ports(|p| {
        p.insert(a, Port { peer: Some(b), queue: VecDeque::new(), home: None, scheduled: false });
        p.insert(b, Port { peer: Some(a), queue: VecDeque::new(), home: None, scheduled: false });
    });
    (a, b)
}

/// Whether `id` is an open port.
pub fn exists(id: u64) -> bool {
    with_ports(|p| p.contains_key(&id))
}

/// Puts `msg` on the queue of `from`'s peer and wakes the peer's home. A message to a
/// closed peer is dropped, as in Node (after the lock is let go).
pub fn post(from: u64, msg: Message) {
    let dropped = with_ports(|p| {
        let Some(peer) = p.get(&from).and_then(|f| f.peer) else { return Some(msg) };
        let Some(port) = p.get_mut(&peer) else { return Some(msg) };
        port.queue.push_back(msg);
        schedule(peer, port);
        None
    });
    drop(dropped);
}

/// Sends the delivery task to a port's home unless one is on its way (registry locked).
fn schedule(id: u64, port: &mut Port) {
    if port.scheduled || port.queue.is_empty() {
        return;
    }
    if let Some(home) = &port.home {
        port.scheduled = home.waker.run((home.deliver)(id));
    }
}

/// Makes the calling thread `id`'s home; queued messages are delivered from now on.
pub fn start(id: u64, home: Home) {
    with_ports(|p| {
        if let Some(port) = p.get_mut(&id) {
            port.home = Some(home);
            port.scheduled = false;
            schedule(id, port);
        }
    });
}

/// Takes `id`'s next message. With `delivering` (the delivery task), an empty queue also
/// ends the task's turn so that the next post schedules a new one.
pub fn take(id: u64, delivering: bool) -> Option<Message> {
    with_ports(|p| {
        let port = p.get_mut(&id)?;
        let msg = port.queue.pop_front();
        if msg.is_none() && delivering {
            port.scheduled = false;
        }
        msg
    })
}

/// Closes `id`: its queue is dropped, its peer is told through `on_peer_closed` (run on the
/// peer's home, if it has one) and closes too.
pub fn close(id: u64, on_peer_closed: fn(u64) -> Settle) {
    let (queue, peer_home) = with_ports(|p| {
        let Some(port) = p.remove(&id) else { return (VecDeque::new(), None) };
        let peer_home = port.peer.and_then(|peer| {
            let other = p.get_mut(&peer)?;
            other.peer = None;
            other.home.as_ref().map(|h| (peer, h.waker.clone()))
        });
        (port.queue, peer_home)
    });
    if let Some((peer, waker)) = peer_home {
        waker.run(on_peer_closed(peer));
    }
    drop(queue);
}

/// Forgets `id`'s home (the port is about to move to another thread, or its thread ends);
/// messages wait in the queue.
pub fn leave(id: u64) {
    with_ports(|p| {
        if let Some(port) = p.get_mut(&id) {
            port.home = None;
            port.scheduled = false;
        }
    });
}
