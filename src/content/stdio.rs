//! Writing to the terminal without panicking.
//!
//! `print!` and `eprint!` panic when the write fails, and it fails on a
//! closed pipe: `isms-site check 2>&1 | head -1` with many problems, or
//! `isms-site completions bash | head -1`, ended in a panic (exit 101).
//! Rust ignores SIGPIPE, so such a write returns `BrokenPipe` instead of
//! ending the process the way it ends a C program.
//!
//! Here, as in ripgrep, a reader that went away stops the output quietly:
//! messages to stderr are best-effort (there is nowhere left to report
//! their failure), and the command still finishes and exits with its
//! normal status; generated text on stdout ([`out`]) stops at the closed
//! pipe and counts as delivered. Every message in `src/` goes through
//! here (`tests/stdio.rs` checks that no `print!` is left).
//!
//! In `content`, the lowest layer that does I/O, beside `timing`, the
//! first to print: every layer above may use it.

use std::io::Write;

/// Writes `text` to stderr as it is; a failed write is ignored.
pub fn err(text: &str) {
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// Writes a message and a line break to stderr in one write; a failed
/// write is ignored. What [`errln!`] calls.
pub fn err_line(args: std::fmt::Arguments) {
    let mut line = args.to_string();
    line.push('\n');
    err(&line);
}

/// `eprintln!` that never panics: see the module's documentation.
macro_rules! errln {
    ($($arg:tt)*) => {
        $crate::content::stdio::err_line(format_args!($($arg)*))
    };
}
pub(crate) use errln;

/// Writes `bytes` to stdout and flushes. A reader that closed the pipe
/// (`… | head`) is no failure: `Ok` with the rest left unwritten, as a
/// Unix tool stops at SIGPIPE. Any other error (a full disk) is returned.
pub fn out(bytes: &[u8]) -> std::io::Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        done => done,
    }
}
