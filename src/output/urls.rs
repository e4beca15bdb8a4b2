//! Where each page lives, and how names become URL segments: shared by
//! every output that links to a page.

use crate::model::Register;

/// Lower-case ASCII slug for a URL segment; other characters become `-`.
pub fn slugify(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let trimmed = out.trim_end_matches('-');
    if trimmed.is_empty() {
        "item".to_string()
    } else {
        trimmed.to_string()
    }
}

/// Percent-encodes a path segment that came from a file name.
pub fn encode_segment(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub fn entry_url(id: &str) -> String {
    format!("register/{id}/index.html")
}

pub fn plan_url(slug: &str) -> String {
    format!("plans/{}/index.html", encode_segment(slug))
}

pub fn review_url(slug: &str) -> String {
    format!("reviews/{}/index.html", encode_segment(slug))
}

/// An absolute link to a page, only for a base URL that is safe to write
/// as a URI value (no spaces or control characters).
pub fn page_url(reg: &Register, rel: &str) -> Option<String> {
    let base = reg.site.base_url.as_deref()?;
    let url = format!("{base}{rel}");
    (!url.chars().any(|c| c.is_whitespace() || c.is_control())).then_some(url)
}

/// A `webcal://` address that mail clients open as a subscription, for a
/// calendar at `rel` below the site root; only when `base_url` is set.
pub fn subscribe_url(reg: &Register, rel: &str) -> Option<String> {
    let url = page_url(reg, rel)?;
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    Some(format!("webcal://{rest}"))
}
