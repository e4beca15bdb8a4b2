//! Escaping text for markup the project writes by hand (the Atom feed and
//! sitemap, the SVG charts, the preview server's overlay and 404 page, and
//! the XML templates through Tera); Tera escapes the theme's HTML pages
//! itself. The one XML escaper.

/// Text for XML or HTML content and attributes; characters XML 1.0 forbids
/// (most control characters) are dropped rather than breaking the file.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_into(&mut out, s);
    out
}

/// [`escape`], appended to `out` (the SVG writer builds one string).
pub fn escape_into(out: &mut String, s: &str) {
    if !s.contains(|c: char| matches!(c, '&' | '<' | '>' | '"' | '\'') || needs_dropping(c)) {
        out.push_str(s);
        return;
    }
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if needs_dropping(c) => {}
            c => out.push(c),
        }
    }
}

/// Characters XML 1.0 does not allow in a document.
fn needs_dropping(c: char) -> bool {
    ((c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
}
