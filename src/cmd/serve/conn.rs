//! Accepting connections so that no client, or crowd of clients, can stop
//! the preview from answering.
//!
//! tiny_http, used before, could not be made safe: its accept thread ended
//! for good at the first failed `accept` (file descriptors run out), it
//! read request headers without a size or time limit, and it started a
//! thread per connection without a cap. None of that is configurable, and
//! the server only ever needed the request line and two headers, so the
//! head is read here, within limits:
//!
//! - at most [`Limits::max_connections`] connections are held; when a new
//!   one arrives at the cap, the one that has waited longest for its
//!   request head is told "503, busy" and closed. Idle connections are what
//!   piles up in an attack; a real browser sends its head at once, so it is
//!   never the oldest waiting for long. A connection younger than
//!   [`Limits::grace`] is never closed to make room: on a loaded machine its
//!   reader thread may not have run yet, and a flood of new connections
//!   must not push out a request that is already there.
//! - a head must arrive within [`Limits::head_timeout`] and fit in
//!   [`MAX_HEAD`] bytes (431 otherwise);
//! - when `accept` fails because file descriptors ran out, the oldest
//!   waiting connection (past its grace) is closed and accepting goes on;
//!   the connections not yet accepted wait in the kernel's queue meanwhile.

use super::http::{self, Head, MAX_HEAD};
use std::collections::{HashSet, VecDeque};
use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, Instant};

/// Environment variable (undocumented, for tests and measurements) that
/// overrides [`Limits::max_connections`].
pub const MAX_CONNECTIONS_VAR: &str = "ISMS_SITE_MAX_CONNECTIONS";

#[derive(Clone, Copy)]
pub struct Limits {
    /// Connections held at once. Each waiting one costs two file
    /// descriptors, so the default stays well inside the usual 1,024.
    pub max_connections: usize,
    /// How long a client may take to send its request head.
    pub head_timeout: Duration,
    /// How long a client may leave a response unread before it is dropped.
    pub write_timeout: Duration,
    /// How long a new connection is safe from being closed to make room.
    pub grace: Duration,
}

impl Limits {
    pub fn from_env() -> Limits {
        let max_connections = std::env::var(MAX_CONNECTIONS_VAR)
            .ok()
            .and_then(|v| v.parse().ok())
            .filter(|&n: &usize| n > 0)
            .unwrap_or(256);
        Limits {
            max_connections,
            head_timeout: Duration::from_secs(5),
            write_timeout: Duration::from_secs(10),
            grace: Duration::from_millis(250),
        }
    }

    /// Event streams live as long as a tab; they may take a quarter of the
    /// connections, so pages always have room.
    fn max_streams(&self) -> usize {
        (self.max_connections / 4).max(1)
    }
}

#[derive(Default)]
struct State {
    /// Connections counted against the cap.
    live: usize,
    /// Event streams among them.
    streams: usize,
    next_id: u64,
    /// Connections still waiting for their head, oldest first, with when
    /// they arrived and a shared handle to close them by.
    waiting: VecDeque<(u64, Arc<TcpStream>, Instant)>,
    /// Closed by [`Slots::evict_oldest`]; their slot was given back then.
    evicted: HashSet<u64>,
}

struct Slots {
    limits: Limits,
    state: Mutex<State>,
}

impl Slots {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Counts a new connection in, making room first when at the cap.
    /// `None` when there is no room (every slot is busy answering).
    fn admit(self: &Arc<Self>, stream: TcpStream) -> Option<Conn> {
        // Shared rather than duplicated: a second descriptor per connection
        // would fail exactly when descriptors run out.
        let stream = Arc::new(stream);
        let mut st = self.lock();
        if st.live >= self.limits.max_connections && !evict(&mut st, self.limits.grace) {
            drop(st);
            busy(&stream);
            return None;
        }
        st.live += 1;
        st.next_id += 1;
        let id = st.next_id;
        st.waiting
            .push_back((id, Arc::clone(&stream), Instant::now()));
        Some(Conn {
            id,
            slots: Arc::clone(self),
            stream,
            is_stream: false,
        })
    }

    /// `false` when nothing could be closed.
    fn evict_oldest(&self) -> bool {
        evict(&mut self.lock(), self.limits.grace)
    }
}

/// Closes the connection that has waited longest for its head, unless it
/// is still within its `grace`.
fn evict(st: &mut State, grace: Duration) -> bool {
    if st
        .waiting
        .front()
        .is_none_or(|(_, _, since)| since.elapsed() < grace)
    {
        return false;
    }
    let Some((id, old, _)) = st.waiting.pop_front() else {
        return false;
    };
    st.evicted.insert(id);
    st.live -= 1;
    // Non-blocking on the shared socket also wakes its reader at once.
    let _ = old.set_nonblocking(true);
    busy(&old);
    let _ = old.shutdown(Shutdown::Both);
    true
}

/// A best-effort "try again" for a connection there is no room for.
fn busy(stream: &TcpStream) {
    let _ = stream.set_nonblocking(true);
    let _ = (&*stream).write_all(
        b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Type: text/plain\r\n\
          Content-Length: 23\r\nConnection: close\r\n\r\nthe preview is too busy",
    );
}

/// One admitted connection; its slot is given back when it is dropped.
pub struct Conn {
    id: u64,
    slots: Arc<Slots>,
    pub stream: Arc<TcpStream>,
    is_stream: bool,
}

impl Conn {
    /// Marks the head as read; `false` if the connection was closed to make
    /// room meanwhile.
    fn begin(&self) -> bool {
        let mut st = self.slots.lock();
        st.waiting.retain(|(id, _, _)| *id != self.id);
        !st.evicted.contains(&self.id)
    }

    /// Turns this connection into a long-lived event stream, if there is
    /// room for one more.
    pub fn begin_stream(&mut self) -> bool {
        let mut st = self.slots.lock();
        if st.streams >= self.slots.limits.max_streams() {
            return false;
        }
        st.streams += 1;
        self.is_stream = true;
        true
    }
}

impl Drop for Conn {
    fn drop(&mut self) {
        let mut st = self.slots.lock();
        st.waiting.retain(|(id, _, _)| *id != self.id);
        if !st.evicted.remove(&self.id) {
            st.live -= 1;
        }
        if self.is_stream {
            st.streams -= 1;
        }
    }
}

/// Accepts connections for ever, each answered on a thread of its own by
/// `answer` once its head is read.
pub fn accept_loop(
    listener: TcpListener,
    limits: Limits,
    answer: Arc<dyn Fn(Conn, Head) + Send + Sync>,
) {
    let slots = Arc::new(Slots {
        limits,
        state: Mutex::new(State::default()),
    });
    loop {
        match listener.accept() {
            Ok((stream, _)) => {
                let Some(conn) = slots.admit(stream) else {
                    continue;
                };
                let answer = Arc::clone(&answer);
                let spawned = thread::Builder::new()
                    .stack_size(256 * 1024)
                    .spawn(move || read_then_answer(conn, limits, &*answer));
                if spawned.is_err() {
                    thread::sleep(Duration::from_millis(10));
                }
            }
            Err(e) if out_of_descriptors(&e) => {
                if !slots.evict_oldest() {
                    thread::sleep(Duration::from_millis(10));
                }
            }
            // A client that gave up before we accepted it, and the like.
            Err(_) => thread::sleep(Duration::from_millis(1)),
        }
    }
}

fn out_of_descriptors(e: &std::io::Error) -> bool {
    // EMFILE and ENFILE (WSAEMFILE on Windows); `ErrorKind` has no
    // stable name for them.
    matches!(e.raw_os_error(), Some(23 | 24 | 10024)) || e.kind() == ErrorKind::OutOfMemory
}

/// Why no head could be read.
#[derive(Debug, PartialEq, Eq)]
enum HeadError {
    TooLarge,
    /// Timed out, closed, or closed to make room: nothing to answer.
    Gone,
}

fn read_then_answer(conn: Conn, limits: Limits, answer: &dyn Fn(Conn, Head)) {
    let deadline = Instant::now() + limits.head_timeout;
    let _ = conn.stream.set_write_timeout(Some(limits.write_timeout));
    match read_head(&conn.stream, deadline) {
        Ok(bytes) => {
            if !conn.begin() {
                return;
            }
            match http::parse_head(&bytes) {
                Some(head) => answer(conn, head),
                None => plain(&conn.stream, "400 Bad Request", "not an HTTP/1 request\n"),
            }
        }
        Err(HeadError::TooLarge) => {
            if conn.begin() {
                plain(
                    &conn.stream,
                    "431 Request Header Fields Too Large",
                    "the request head is over 16 KiB\n",
                );
            }
        }
        Err(HeadError::Gone) => {}
    }
}

/// Reads up to the blank line that ends the head, within the deadline and
/// [`MAX_HEAD`] bytes; what follows (a body, a pipelined request) is never
/// used: every answer closes the connection.
fn read_head(mut stream: &TcpStream, deadline: Instant) -> Result<Vec<u8>, HeadError> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 4096];
    loop {
        let left = deadline
            .checked_duration_since(Instant::now())
            .filter(|d| !d.is_zero())
            .ok_or(HeadError::Gone)?;
        stream
            .set_read_timeout(Some(left))
            .map_err(|_| HeadError::Gone)?;
        let n = match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return Err(HeadError::Gone),
            Ok(n) => n,
        };
        let from = buf.len().saturating_sub(3);
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = http::head_end(&buf[from..]) {
            let end = from + end;
            if end > MAX_HEAD {
                return Err(HeadError::TooLarge);
            }
            buf.truncate(end);
            return Ok(buf);
        }
        if buf.len() >= MAX_HEAD {
            return Err(HeadError::TooLarge);
        }
    }
}

/// A short plain-text answer that closes the connection. The rest of what
/// the client sends is read and dropped for a moment first: closing with
/// unread data makes the peer's kernel discard our answer.
fn plain(mut stream: &TcpStream, status: &str, body: &str) {
    let reply = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\n\
         X-Content-Type-Options: nosniff\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    if stream.write_all(reply.as_bytes()).is_err() {
        return;
    }
    let _ = stream.shutdown(Shutdown::Write);
    let until = Instant::now() + Duration::from_secs(2);
    let mut sink = [0u8; 16 * 1024];
    while let Some(left) = until.checked_duration_since(Instant::now()) {
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            break;
        }
        match stream.read(&mut sink) {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    fn pair(listener: &TcpListener) -> (TcpStream, TcpStream) {
        let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (server, _) = listener.accept().unwrap();
        (client, server)
    }

    fn slots(max: usize) -> Arc<Slots> {
        Arc::new(Slots {
            limits: Limits {
                max_connections: max,
                grace: Duration::ZERO,
                ..Limits::from_env()
            },
            state: Mutex::new(State::default()),
        })
    }

    #[test]
    fn at_the_cap_the_longest_waiting_connection_makes_room() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let slots = slots(2);
        let (mut c1, s1) = pair(&listener);
        let (_c2, s2) = pair(&listener);
        let (_c3, s3) = pair(&listener);
        let first = slots.admit(s1).unwrap();
        let second = slots.admit(s2).unwrap();
        let third = slots.admit(s3).expect("room made");
        assert_eq!(slots.lock().live, 2);
        let mut told = String::new();
        c1.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let _ = c1.read_to_string(&mut told);
        assert!(told.starts_with("HTTP/1.1 503"), "{told}");
        assert!(!first.begin(), "the evicted one is not answered");
        assert!(second.begin() && third.begin());
        drop((first, second));
        assert_eq!(
            slots.lock().live,
            1,
            "an evicted slot is not given back twice"
        );
        drop(third);
        assert_eq!(slots.lock().live, 0);
    }

    #[test]
    fn a_connection_within_its_grace_is_not_closed_to_make_room() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let slots = Arc::new(Slots {
            limits: Limits {
                max_connections: 1,
                grace: Duration::from_secs(60),
                ..Limits::from_env()
            },
            state: Mutex::new(State::default()),
        });
        let (_c1, s1) = pair(&listener);
        let (_c2, s2) = pair(&listener);
        let first = slots.admit(s1).unwrap();
        assert!(slots.admit(s2).is_none(), "the newcomer is refused");
        assert!(!slots.evict_oldest(), "nothing past its grace to close");
        assert!(first.begin(), "the first is still answered");
    }

    #[test]
    fn busy_connections_are_not_evicted() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let slots = slots(1);
        let (_c1, s1) = pair(&listener);
        let (mut c2, s2) = pair(&listener);
        let first = slots.admit(s1).unwrap();
        assert!(first.begin(), "head read: now answering");
        assert!(slots.admit(s2).is_none(), "no room");
        let mut told = String::new();
        c2.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let _ = c2.read_to_string(&mut told);
        assert!(told.starts_with("HTTP/1.1 503"), "{told}");
    }

    #[test]
    fn heads_are_read_whole_and_within_the_limit() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let soon = || Instant::now() + Duration::from_secs(5);
        let (mut c, s) = pair(&listener);
        c.write_all(b"GET / HTTP/1.1\r\nHost: a\r").unwrap();
        let writer = thread::spawn(move || {
            thread::sleep(Duration::from_millis(50));
            c.write_all(b"\n\r\nbody").unwrap();
            c
        });
        let head = read_head(&s, soon()).unwrap();
        assert_eq!(head, b"GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        drop(writer.join());

        let (mut c, s) = pair(&listener);
        let big = format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "a".repeat(MAX_HEAD));
        thread::spawn(move || c.write_all(big.as_bytes()));
        assert_eq!(read_head(&s, soon()), Err(HeadError::TooLarge));

        let (_c, s) = pair(&listener);
        let short = Instant::now() + Duration::from_millis(100);
        assert_eq!(read_head(&s, short), Err(HeadError::Gone));
    }
}
