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
//! - the whole answer must be taken within [`Limits::answer_timeout`] of
//!   the head (one deadline, however the client paces its reading: a
//!   per-write timeout let a reader that takes a little every few seconds
//!   hold its slot for ever); when every slot is busy answering, the
//!   writer that has made no progress longest (for at least
//!   [`Limits::stall`]) is closed to make room, so readers that never read
//!   cannot hold the server;
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

/// Environment variable (undocumented, for tests) that sets
/// [`Limits::head_timeout`] in milliseconds: made long, it leaves closing
/// the oldest waiting connection as the only way to make room.
pub const HEAD_TIMEOUT_VAR: &str = "ISMS_SITE_HEAD_TIMEOUT_MS";

/// Environment variable (undocumented, for tests and measurements) that
/// sets [`Limits::answer_timeout`], and [`Limits::stall`] if shorter, in
/// milliseconds.
pub const ANSWER_TIMEOUT_VAR: &str = "ISMS_SITE_ANSWER_TIMEOUT_MS";

/// What one `write` call sends at most, so that progress is seen often.
const CHUNK: usize = 64 * 1024;

#[derive(Clone, Copy)]
pub struct Limits {
    /// Connections held at once. Each waiting one costs two file
    /// descriptors, so the default stays well inside the usual 1,024.
    pub max_connections: usize,
    /// How long a client may take to send its request head.
    pub head_timeout: Duration,
    /// How long a client may take to read the whole answer, counted from
    /// its request head: one deadline for every write of the answer.
    pub answer_timeout: Duration,
    /// How long a writer may make no progress before it may be closed to
    /// make room for a new connection when every slot is taken.
    pub stall: Duration,
    /// How long a new connection is safe from being closed to make room.
    pub grace: Duration,
}

impl Limits {
    pub fn from_env() -> Limits {
        let number = |var: &str| {
            std::env::var(var)
                .ok()
                .and_then(|v| v.parse().ok())
                .filter(|&n: &u64| n > 0)
        };
        let answer_timeout = number(ANSWER_TIMEOUT_VAR)
            .map(Duration::from_millis)
            .unwrap_or(Duration::from_secs(10));
        Limits {
            max_connections: number(MAX_CONNECTIONS_VAR).map_or(256, |n| n as usize),
            head_timeout: number(HEAD_TIMEOUT_VAR)
                .map_or(Duration::from_secs(5), Duration::from_millis),
            answer_timeout,
            stall: answer_timeout.min(Duration::from_secs(1)),
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
    /// Connections being answered, with a shared handle and when their
    /// answer last made progress.
    writing: Vec<(u64, Arc<TcpStream>, Instant)>,
    /// Closed by [`evict`]; their slot was given back then.
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
        if st.live >= self.limits.max_connections && !evict(&mut st, &self.limits) {
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
            deadline: Instant::now() + self.limits.head_timeout + self.limits.answer_timeout,
        })
    }

    /// `false` when nothing could be closed.
    fn evict_oldest(&self) -> bool {
        evict(&mut self.lock(), &self.limits)
    }
}

/// Makes room: closes the connection that has waited longest for its head,
/// unless it is still within its grace; failing that, the writer that has
/// made no progress longest, if that is at least [`Limits::stall`].
fn evict(st: &mut State, limits: &Limits) -> bool {
    if st
        .waiting
        .front()
        .is_some_and(|(_, _, since)| since.elapsed() >= limits.grace)
        && let Some((id, old, _)) = st.waiting.pop_front()
    {
        st.evicted.insert(id);
        st.live -= 1;
        // Non-blocking on the shared socket also wakes its reader at once.
        let _ = old.set_nonblocking(true);
        busy(&old);
        let _ = old.shutdown(Shutdown::Both);
        return true;
    }
    let stalled = st
        .writing
        .iter()
        .enumerate()
        .min_by_key(|(_, (_, _, last))| *last)
        .filter(|(_, (_, _, last))| last.elapsed() >= limits.stall)
        .map(|(i, _)| i);
    let Some(i) = stalled else {
        return false;
    };
    let (id, stuck, _) = st.writing.swap_remove(i);
    st.evicted.insert(id);
    st.live -= 1;
    // Wakes its thread from the blocked write, which then fails.
    let _ = stuck.shutdown(Shutdown::Both);
    true
}

/// A best-effort "try again" for a connection there is no room for.
fn busy(stream: &TcpStream) {
    let _ = stream.set_nonblocking(true);
    let reply = format!(
        "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Type: text/plain\r\n\
         {}Content-Length: 23\r\nConnection: close\r\n\r\nthe preview is too busy",
        http::SAME_ORIGIN_HEADERS
    );
    let _ = (&*stream).write_all(reply.as_bytes());
}

/// One admitted connection; its slot is given back when it is dropped.
pub struct Conn {
    id: u64,
    slots: Arc<Slots>,
    pub stream: Arc<TcpStream>,
    is_stream: bool,
    /// When the whole answer must have been taken.
    deadline: Instant,
}

impl Conn {
    /// Marks the head as read and starts the answer's deadline; `false` if
    /// the connection was closed to make room meanwhile.
    fn begin(&mut self) -> bool {
        let now = Instant::now();
        self.deadline = now + self.slots.limits.answer_timeout;
        let mut st = self.slots.lock();
        st.waiting.retain(|(id, _, _)| *id != self.id);
        if st.evicted.contains(&self.id) {
            return false;
        }
        st.writing.push((self.id, Arc::clone(&self.stream), now));
        true
    }

    /// Turns this connection into a long-lived event stream, if there is
    /// room for one more. A stream has no answer deadline and is never
    /// closed as a stalled writer.
    pub fn begin_stream(&mut self) -> bool {
        let mut st = self.slots.lock();
        if st.streams >= self.slots.limits.max_streams() {
            return false;
        }
        st.streams += 1;
        st.writing.retain(|(id, _, _)| *id != self.id);
        self.is_stream = true;
        let _ = self
            .stream
            .set_write_timeout(Some(self.slots.limits.answer_timeout));
        true
    }

    /// Writes all of `bytes` before the answer's deadline, a chunk at a
    /// time, noting progress after each. Past the deadline, or once closed
    /// to make room, the connection is shut and an error returned.
    pub fn write_all(&self, mut bytes: &[u8]) -> std::io::Result<()> {
        while !bytes.is_empty() {
            let written = self.write_some(&bytes[..bytes.len().min(CHUNK)]);
            match written {
                Ok(0) => return Err(self.cut(ErrorKind::WriteZero)),
                Ok(n) => bytes = &bytes[n..],
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) => return Err(self.cut(e.kind())),
            }
            self.progress();
        }
        Ok(())
    }

    fn write_some(&self, chunk: &[u8]) -> std::io::Result<usize> {
        let left = self
            .deadline
            .checked_duration_since(Instant::now())
            .filter(|d| !d.is_zero())
            .ok_or(ErrorKind::TimedOut)?;
        self.stream.set_write_timeout(Some(left))?;
        (&*self.stream).write(chunk)
    }

    fn progress(&self) {
        let mut st = self.slots.lock();
        if let Some(w) = st.writing.iter_mut().find(|(id, _, _)| *id == self.id) {
            w.2 = Instant::now();
        }
    }

    /// Gives up on the answer: the client sees the connection end.
    fn cut(&self, why: ErrorKind) -> std::io::Error {
        let _ = self.stream.shutdown(Shutdown::Both);
        why.into()
    }
}

impl Drop for Conn {
    fn drop(&mut self) {
        let mut st = self.slots.lock();
        st.waiting.retain(|(id, _, _)| *id != self.id);
        st.writing.retain(|(id, _, _)| *id != self.id);
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

fn read_then_answer(mut conn: Conn, limits: Limits, answer: &dyn Fn(Conn, Head)) {
    let deadline = Instant::now() + limits.head_timeout;
    let _ = conn.stream.set_write_timeout(Some(limits.answer_timeout));
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
         {}Cache-Control: no-store\r\nConnection: close\r\n\r\n{body}",
        body.len(),
        http::SAME_ORIGIN_HEADERS
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
                stall: Duration::from_secs(3600),
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
        let mut first = slots.admit(s1).unwrap();
        let mut second = slots.admit(s2).unwrap();
        let mut third = slots.admit(s3).expect("room made");
        assert_eq!(slots.lock().live, 2);
        let mut told = String::new();
        c1.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let _ = c1.read_to_string(&mut told);
        assert!(told.starts_with("HTTP/1.1 503"), "{told}");
        assert!(
            told.contains("Cross-Origin-Resource-Policy: same-origin\r\n"),
            "refusals are same-origin too: {told}"
        );
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
        let mut first = slots.admit(s1).unwrap();
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
        let mut first = slots.admit(s1).unwrap();
        assert!(first.begin(), "head read: now answering");
        assert!(
            slots.admit(s2).is_none(),
            "no room: the writer is not stalled"
        );
        let mut told = String::new();
        c2.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let _ = c2.read_to_string(&mut told);
        assert!(told.starts_with("HTTP/1.1 503"), "{told}");
    }

    /// A client that asks for a file and never reads it used to hold its
    /// slot until a write timed out, and a crowd of them every slot: at the
    /// cap, the writer stalled longest is closed to make room.
    #[test]
    fn at_the_cap_a_stalled_writer_makes_room() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let slots = Arc::new(Slots {
            limits: Limits {
                max_connections: 1,
                stall: Duration::ZERO,
                ..Limits::from_env()
            },
            state: Mutex::new(State::default()),
        });
        let (_never_reads, s1) = pair(&listener);
        let (_c2, s2) = pair(&listener);
        let mut first = slots.admit(s1).unwrap();
        assert!(first.begin());
        let writer = thread::spawn(move || {
            // Far more than socket buffers hold: blocks until closed.
            let sent = first.write_all(&vec![b'x'; 64 << 20]);
            drop(first);
            sent
        });
        let mut second = slots.admit(s2).expect("the stalled writer made room");
        assert!(second.begin());
        let sent = writer.join().unwrap();
        assert!(sent.is_err(), "the stalled answer was cut");
        drop(second);
        assert_eq!(slots.lock().live, 0, "every slot given back once");
    }

    /// One deadline for the whole answer, however the writes go.
    #[test]
    fn an_answer_not_taken_by_its_deadline_is_cut() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let slots = slots(4);
        let (_never_reads, s1) = pair(&listener);
        let mut conn = slots.admit(s1).unwrap();
        assert!(conn.begin());
        conn.deadline = Instant::now();
        let sent = conn.write_all(b"HTTP/1.1 200 OK\r\n");
        assert_eq!(sent.map_err(|e| e.kind()), Err(ErrorKind::TimedOut));
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
