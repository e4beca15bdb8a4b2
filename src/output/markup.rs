//! Escaping text for markup the project writes by hand (the Atom feed and
//! sitemap, the preview server's overlay and 404 page); Tera escapes the
//! theme's pages itself.

/// Text for XML or HTML content and attributes; characters XML 1.0 forbids
/// (most control characters) are dropped rather than breaking the file.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || matches!(c, '\u{FFFE}' | '\u{FFFF}') => {}
            c => out.push(c),
        }
    }
    out
}
