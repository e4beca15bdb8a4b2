//! Due-date calendars (RFC 5545): `calendar.ics` for the whole register and
//! `owners/<slug>/calendar.ics` per owner, so owners can subscribe in their
//! mail client and see their target dates and plan milestones.
//!
//! Built from the model (register and facts), not from pages, so anything
//! that later narrows the model (an audience filter) narrows the calendars
//! too. Output is deterministic: UIDs come from ids and file names, DTSTAMP
//! from `--as-of`, events are sorted — a rebuild of the same content changes
//! no byte, and a client sees an edited event as the same event.

use crate::compute::{effectiveness, rollup};
use crate::content::i18n::Catalogue;
use crate::model::{Entry, Plan, Register};
use crate::output::pages::RenderContext;
use crate::output::sink::{Out, RenderError};
use crate::output::urls::{encode_segment, page_url, slugify};
use chrono::{Days, NaiveDate};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// One all-day event.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Event {
    pub date: NaiveDate,
    /// Stable across builds and edits of anything but the id or file name.
    pub uid: String,
    pub summary: String,
    pub description: String,
    /// Absolute address of the page, when `base_url` is set.
    pub url: Option<String>,
    /// Owner names whose calendars list the event.
    pub owners: BTreeSet<String>,
}

/// The host-like right-hand side of UIDs: the site's host when `base_url`
/// gives one, else a name made from the title (RFC 5545 only asks that the
/// UID be globally unique; a domain-like suffix is the convention).
fn uid_domain(reg: &Register) -> String {
    reg.site
        .base_url
        .as_deref()
        .and_then(|u| u.split_once("://"))
        .map(|(_, rest)| rest.split(['/', '?', '#']).next().unwrap_or(""))
        .map(|host| host.rsplit('@').next().unwrap_or("").to_ascii_lowercase())
        .filter(|h| {
            !h.is_empty()
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
        })
        .unwrap_or_else(|| format!("{}.isms-site", slugify(&reg.site.title)))
}

/// Every event of the register: the target date of each open entry, the
/// effectiveness review due of each completed action without one, and the
/// due date of each milestone not yet done.
pub fn events(reg: &Register, i18n: &Catalogue) -> Vec<Event> {
    let domain = uid_domain(reg);
    let mut out: Vec<Event> = reg
        .entries
        .iter()
        .filter(|e| e.status.is_open())
        .filter_map(|e| {
            let date = e.target?;
            let due = i18n.t("calendar-due");
            Some(entry_event(reg, e, date, &domain, "target", due, |owner| {
                i18n.t_args(
                    "calendar-target-description",
                    &[
                        ("id", e.id.clone().into()),
                        ("status", i18n.label(e.status).into()),
                        ("priority", i18n.label(e.priority).into()),
                        ("owner", owner.to_string().into()),
                    ],
                )
            }))
        })
        .collect();
    out.extend(effectiveness_events(reg, i18n, &domain));
    // Gathered once: asked of the register for each plan, it was 20
    // million comparisons at 10,000 entries and 2,000 plans (issue 27).
    let owning: BTreeSet<&str> = reg
        .entries
        .iter()
        .filter_map(|e| e.owner.as_deref())
        .collect();
    for plan in &reg.plans {
        out.extend(milestone_events(reg, i18n, plan, &owning, &domain));
    }
    out.sort();
    out
}

/// A completed action's effectiveness review, due `effectiveness_review_days`
/// after completion until one is recorded, in its owner's calendar.
fn effectiveness_events<'a>(
    reg: &'a Register,
    i18n: &'a Catalogue,
    domain: &'a str,
) -> impl Iterator<Item = Event> + 'a {
    reg.entries.iter().filter_map(move |e| {
        let date = effectiveness::due_date(&reg.site, e)?;
        Some(entry_event(
            reg,
            e,
            date,
            domain,
            "effectiveness",
            i18n.t("calendar-effectiveness-due"),
            |owner| {
                i18n.t_args(
                    "calendar-effectiveness-description",
                    &[
                        ("id", e.id.clone().into()),
                        (
                            "completed",
                            e.completed.map(|c| i18n.date(c)).unwrap_or_default().into(),
                        ),
                        ("owner", owner.to_string().into()),
                    ],
                )
            },
        ))
    })
}

/// An event of one entry in its owner's calendar: `what` names it in the
/// UID, `due` in the summary, and the description ends with the entry's
/// page when the site has a base URL.
fn entry_event(
    reg: &Register,
    e: &Entry,
    date: NaiveDate,
    domain: &str,
    what: &str,
    due: &str,
    describe: impl FnOnce(&str) -> String,
) -> Event {
    let owner = e
        .owner
        .clone()
        .unwrap_or_else(|| rollup::UNASSIGNED.to_string());
    let url = page_url(reg, &format!("register/{}/index.html", e.id));
    let mut description = describe(&owner);
    if let Some(u) = &url {
        description.push_str(&format!("\n{u}"));
    }
    Event {
        date,
        uid: format!("entry-{}-{what}@{domain}", e.id.to_ascii_lowercase()),
        summary: format!("{} {due}: {}", e.id, e.title),
        description,
        url,
        owners: BTreeSet::from([owner]),
    }
}

/// Open milestones of a plan. They go to the plan's owner when that owner
/// also owns entries (is among the `owning`, and so has an owner page); otherwise to the owners
/// of the entries the plan covers, so that someone is reminded.
fn milestone_events(
    reg: &Register,
    i18n: &Catalogue,
    plan: &Plan,
    owning: &BTreeSet<&str>,
    domain: &str,
) -> Vec<Event> {
    let entry_owners: BTreeSet<String> = plan
        .entries
        .iter()
        .filter_map(|id| reg.entry_index(id))
        .map(|i| {
            reg.entries[i]
                .owner
                .clone()
                .unwrap_or_else(|| rollup::UNASSIGNED.to_string())
        })
        .collect();
    let owners = match &plan.owner {
        Some(o) if owning.contains(o.as_str()) => BTreeSet::from([o.clone()]),
        _ => entry_owners,
    };
    let url = page_url(
        reg,
        &format!("plans/{}/index.html", encode_segment(&plan.slug)),
    );
    let mut taken: BTreeMap<String, usize> = BTreeMap::new();
    let mut out = Vec::new();
    for m in &plan.milestones {
        // Numbered by title, not position: reordering milestones keeps UIDs.
        let base = slugify(&m.title);
        let n = taken.entry(base.clone()).or_insert(0);
        *n += 1;
        let key = if *n == 1 { base } else { format!("{base}-{n}") };
        let (Some(date), None) = (m.due, m.done) else {
            continue;
        };
        let mut description = i18n.t_args(
            "calendar-milestone-description",
            &[
                ("plan", plan.title.clone().into()),
                ("entries", plan.entries.join(", ").into()),
            ],
        );
        if let Some(o) = &plan.owner {
            description.push('\n');
            description
                .push_str(&i18n.t_args("calendar-plan-owner", &[("owner", o.clone().into())]));
        }
        if let Some(u) = &url {
            description.push_str(&format!("\n{u}"));
        }
        out.push(Event {
            date,
            uid: format!(
                "milestone-{}-{key}@{domain}",
                encode_segment(&plan.slug).to_ascii_lowercase()
            ),
            summary: i18n.t_args(
                "calendar-milestone-summary",
                &[
                    ("milestone", m.title.clone().into()),
                    ("plan", plan.title.clone().into()),
                ],
            ),
            description,
            url: url.clone(),
            owners: owners.clone(),
        });
    }
    out
}

/// Escapes a TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma
/// and line breaks; other control characters are not allowed and dropped.
///
/// Byte by byte, copying the runs between what changes: char by char it
/// was most of the calendars' time (0.15 s a build at 10,000 entries).
/// The control characters are U+0000-U+001F, U+007F and U+0080-U+009F
/// (`char::is_control`), the last in UTF-8 as 0xC2 then 0x80-0x9F.
pub fn escape_text(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    // Where the run of bytes kept as they are began. The text is cut
    // only before an ASCII byte or 0xC2, which begin characters.
    let mut run = 0;
    let mut i = 0;
    while i < b.len() {
        let (len, put) = match b[i] {
            b'\\' => (1, "\\\\"),
            b';' => (1, "\\;"),
            b',' => (1, "\\,"),
            b'\r' if b.get(i + 1) == Some(&b'\n') => (2, "\\n"),
            b'\r' | b'\n' => (1, "\\n"),
            b'\t' => (0, ""),
            c if c < 0x20 || c == 0x7f => (1, ""),
            0xC2 if matches!(b.get(i + 1), Some(0x80..=0x9F)) => (2, ""),
            _ => (0, ""),
        };
        if len == 0 {
            i += 1;
            continue;
        }
        out.push_str(&s[run..i]);
        out.push_str(put);
        i += len;
        run = i;
    }
    out.push_str(&s[run..]);
    out
}

/// Folds a content line at 75 octets (RFC 5545 §3.1) without splitting a
/// UTF-8 character; continuation lines start with a space. Ends in CRLF.
pub fn fold(line: &str, out: &mut String) {
    let mut rest = line;
    let mut limit = 75;
    while rest.len() > limit {
        let mut cut = limit;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        out.push_str(&rest[..cut]);
        out.push_str("\r\n ");
        rest = &rest[cut..];
        limit = 74;
    }
    out.push_str(rest);
    out.push_str("\r\n");
}

fn ics_date(d: NaiveDate) -> String {
    d.format("%Y%m%d").to_string()
}

/// One event as a VEVENT's lines, folded, each ending in CRLF: made once
/// per event and written into `calendar.ics` and into its owners'
/// calendars. Made again for each calendar, it was most of the
/// calendars' time (issue 27).
fn vevent(e: &Event, stamp: &str) -> String {
    let mut out = String::with_capacity(256 + e.description.len() + e.summary.len());
    let mut line = |s: &str| fold(s, &mut out);
    line("BEGIN:VEVENT");
    line(&format!("UID:{}", escape_text(&e.uid)));
    line(&format!("DTSTAMP:{stamp}"));
    line(&format!("DTSTART;VALUE=DATE:{}", ics_date(e.date)));
    if let Some(end) = e.date.checked_add_days(Days::new(1)) {
        line(&format!("DTEND;VALUE=DATE:{}", ics_date(end)));
    }
    line(&format!("SUMMARY:{}", escape_text(&e.summary)));
    line(&format!("DESCRIPTION:{}", escape_text(&e.description)));
    if let Some(u) = &e.url {
        line(&format!("URL:{u}"));
    }
    line("TRANSP:TRANSPARENT");
    line("END:VEVENT");
    out
}

/// The DTSTAMP of every event: the as-of date, so a rebuild of the same
/// content changes no byte.
fn dtstamp(as_of: NaiveDate) -> String {
    format!("{}T000000Z", ics_date(as_of))
}

/// A whole VCALENDAR named `name` with the given events (their
/// [`vevent`] text), written to `w` event by event: the calendar of
/// every event was tens of MB at 50,000 entries, held while the other
/// exports ran beside it (issue 27).
fn calendar(name: &str, events: &[&str], w: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut head = String::new();
    for l in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        &format!(
            "PRODID:-//isms-site//isms-site {}//EN",
            env!("CARGO_PKG_VERSION")
        ),
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        &format!("X-WR-CALNAME:{}", escape_text(name)),
    ] {
        fold(l, &mut head);
    }
    w.write_all(head.as_bytes())?;
    for e in events {
        w.write_all(e.as_bytes())?;
    }
    w.write_all(b"END:VCALENDAR\r\n")
}

/// Writes `calendar.ics` and one calendar per owner page (an owner with no
/// open dates gets an empty calendar, so a subscription never breaks).
/// Returns how many files were written.
pub fn write_calendars(
    site: &RenderContext,
    out: &Out,
    as_of: NaiveDate,
) -> Result<usize, RenderError> {
    use rayon::prelude::*;
    let reg = site.reg;
    let all = events(reg, &site.i18n);
    let stamp = dtstamp(as_of);
    let texts: Vec<String> = all.par_iter().map(|e| vevent(e, &stamp)).collect();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let title = format!("{} — {}", reg.site.title, site.i18n.t("calendar-due-dates"));
    out.write_with("calendar.ics", |w| write_buffered(&title, &refs, w))?;
    // Each owner's events, in calendar order, gathered in one pass.
    let mut of_owner: HashMap<&str, Vec<&str>> = HashMap::new();
    for (e, text) in all.iter().zip(&texts) {
        for owner in &e.owners {
            of_owner.entry(owner).or_default().push(text);
        }
    }
    let mut count = 1;
    for (owner, slug) in site.owner_pages() {
        let mine = of_owner.get(owner.as_str()).map_or(&[][..], Vec::as_slice);
        let name = format!("{} — {owner}", title);
        out.write_with(&format!("owners/{slug}/calendar.ics"), |w| {
            write_buffered(&name, mine, w)
        })?;
        count += 1;
    }
    Ok(count)
}

/// [`calendar`] through a buffer: it writes an event at a time.
fn write_buffered(name: &str, events: &[&str], w: &mut dyn std::io::Write) -> std::io::Result<()> {
    use std::io::Write;
    let mut w = std::io::BufWriter::with_capacity(1 << 16, w);
    calendar(name, events, &mut w)?;
    w.flush()
}

/// The `.ics` calendars.
pub struct Calendars;

impl crate::output::Output for Calendars {
    fn name(&self) -> &'static str {
        "calendars"
    }
    fn needed_for_preview(&self) -> bool {
        false
    }
    fn write(&self, i: &crate::output::Inputs, out: &Out) -> Result<usize, RenderError> {
        write_calendars(i.context, out, i.rollups.as_of)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first escaping and folding, a character at a time: the fast
    /// ones must give the same text for any text.
    fn escape_text_by_char(s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        let mut chars = s.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\\' => out.push_str("\\\\"),
                ';' => out.push_str("\\;"),
                ',' => out.push_str("\\,"),
                '\r' => {
                    if chars.peek() == Some(&'\n') {
                        chars.next();
                    }
                    out.push_str("\\n");
                }
                '\n' => out.push_str("\\n"),
                '\t' => out.push('\t'),
                c if c.is_control() => {}
                c => out.push(c),
            }
        }
        out
    }

    fn fold_by_char(line: &str, out: &mut String) {
        let mut width = 0;
        let mut limit = 75;
        for c in line.chars() {
            let len = c.len_utf8();
            if width + len > limit {
                out.push_str("\r\n ");
                width = 0;
                limit = 74;
            }
            out.push(c);
            width += len;
        }
        out.push_str("\r\n");
    }

    #[test]
    fn escaping_and_folding_give_what_they_gave_a_character_at_a_time() {
        // Every control character, the escaped ones, and characters of
        // one to four bytes, in random texts of every length up to 400.
        let alphabet: Vec<char> = (0u32..0xA0)
            .filter_map(char::from_u32)
            .chain("aZ09 ;,\\\r\né€𝄞ü·—\u{2028}\u{FEFF}".chars())
            .collect();
        let mut rng = crate::model::rng::XorShift::new(0x9E37_79B9_7F4A_7C15);
        for _ in 0..5000 {
            let text = rng.text(&alphabet, 400);
            assert_eq!(escape_text(&text), escape_text_by_char(&text), "{text:?}");
            let (mut fast, mut slow) = (String::new(), String::new());
            fold(&text, &mut fast);
            fold_by_char(&text, &mut slow);
            assert_eq!(fast, slow, "{text:?}");
        }
    }

    #[test]
    fn text_is_escaped_per_rfc5545() {
        assert_eq!(
            escape_text("a\\b;c,d\r\ne\nf\u{7}"),
            "a\\\\b\\;c\\,d\\ne\\nf"
        );
    }

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_characters() {
        let mut out = String::new();
        let text = format!("SUMMARY:{}", "é".repeat(100));
        fold(&text, &mut out);
        for l in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{} octets: {l}", l.len());
        }
        let unfolded = out.trim_end_matches("\r\n").replace("\r\n ", "");
        assert_eq!(unfolded, text);
        let mut short = String::new();
        fold("VERSION:2.0", &mut short);
        assert_eq!(short, "VERSION:2.0\r\n");
    }
}
