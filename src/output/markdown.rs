//! Markdown to HTML, safe for untrusted text.
//!
//! Content is written by many people and published to everyone, so:
//! raw HTML is shown as text (escaped), never passed through; comrak drops
//! `javascript:` and similar URLs; images from another host are not loaded
//! (the site must work offline and must not call out), they become a plain
//! link; links to `evidence/...` are made relative to the page they are on.

use crate::output::terms::text_terms;
use comrak::nodes::NodeValue;
use comrak::{Arena, Options, format_html, parse_document};
use std::sync::Arc;

fn options(root: &str) -> Options<'static> {
    let mut o = Options::default();
    o.extension.table = true;
    o.extension.tasklist = true;
    o.extension.strikethrough = true;
    o.extension.autolink = true;
    o.extension.footnotes = true;
    o.render.r#unsafe = false;
    o.render.escape = true;
    let root = root.to_string();
    o.extension.link_url_rewriter = Some(Arc::new(move |url: &str| rebase(url, &root)));
    o
}

/// `evidence/x.pdf` written in content means the site's evidence folder.
fn rebase(url: &str, root: &str) -> String {
    if url.starts_with("evidence/") {
        format!("{root}{url}")
    } else {
        url.to_string()
    }
}

fn is_remote(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    lower.starts_with("http:")
        || lower.starts_with("https:")
        || lower.starts_with("//")
        || lower.contains(':')
}

/// A Markdown field parsed once, as the page shows it (`html`) and as
/// its words on one line (`text`, for excerpts and the search index).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rendered {
    pub html: String,
    pub text: String,
}

/// Characters of a text kept by [`EntryText`]: its readers look at no
/// more than the first 201 (a register cell or search snippet cuts at
/// 160, the outcome's first sentence at 200, and each needs one
/// character more to know whether to cut).
const HEAD: usize = 256;

/// What the register rows, the search index and the outcome lists read of
/// an entry's rendered text, held for the whole render: the start of its
/// description and outcome, and the search terms of all its text. The
/// whole text of every field was 110 MB at 50,000 synthetic entries, this
/// is about a third of it (issue 27).
#[derive(Clone, Debug, Default)]
pub struct EntryText {
    description: Option<String>,
    outcome: Option<String>,
    /// The search terms of the texts ([`text_terms`]), made once with the
    /// Markdown and kept with it in the memo: taking them again from the
    /// text of every entry was a third of the search index's time in a
    /// build after one change at 10,000 entries (issue 27).
    terms: String,
}

impl EntryText {
    /// From the text of the description, of the outcome, and of every
    /// field (those two included).
    pub fn new<'t>(
        description: Option<&str>,
        outcome: Option<&str>,
        texts: impl IntoIterator<Item = &'t str>,
    ) -> EntryText {
        // The index takes the same terms from the distinct tokens as from
        // the texts: its words and compound words never span a space.
        EntryText {
            description: description.map(head),
            outcome: outcome.map(head),
            terms: text_terms(&distinct_tokens(texts)),
        }
    }

    /// As [`EntryText::new`] made it, from the parts the Markdown memo
    /// kept (`pages::memo`, whose digest proves them whole).
    pub fn from_parts(
        description: Option<String>,
        outcome: Option<String>,
        terms: String,
    ) -> EntryText {
        EntryText {
            description,
            outcome,
            terms,
        }
    }

    /// The start of the description's text (at least `HEAD` characters).
    pub fn description(&self) -> Option<&String> {
        self.description.as_ref()
    }

    /// The start of the outcome's text (at least `HEAD` characters).
    pub fn outcome(&self) -> Option<&String> {
        self.outcome.as_ref()
    }

    /// The search terms of all the texts, sorted, space-separated.
    pub fn terms(&self) -> &str {
        &self.terms
    }
}

/// The distinct whitespace-separated tokens of `texts`, sorted, joined by
/// spaces: what the search terms are taken from, a fraction of the text.
fn distinct_tokens<'t>(texts: impl IntoIterator<Item = &'t str>) -> String {
    // Made distinct before they are sorted: a text repeats most of its
    // words, and sorting every occurrence was most of the cost.
    let mut seen: rustc_hash::FxHashSet<&str> = Default::default();
    for text in texts {
        for_each_word(text, |w| {
            seen.insert(w);
        });
    }
    let mut tokens: Vec<(u64, &str)> = seen.into_iter().map(|w| (prefix(w), w)).collect();
    // In the order of the words themselves (see `prefix`), compared
    // by their first eight bytes as one number where those differ,
    // which most words' do, and a word of up to eight bytes by its
    // length where they are the same (the shorter is then the start of
    // the longer, or the same word): a call to compare bytes for each
    // pair was most of the cost (issue 27).
    let order = |a: &(u64, &str), b: &(u64, &str)| {
        a.0.cmp(&b.0)
            .then_with(|| match a.1.len() <= 8 || b.1.len() <= 8 {
                true => a.1.len().cmp(&b.1.len()),
                false => a.1.cmp(b.1),
            })
    };
    tokens.sort_unstable_by(order);
    let mut joined = String::with_capacity(tokens.iter().map(|(_, w)| w.len() + 1).sum());
    for (_, w) in tokens {
        if !joined.is_empty() {
            joined.push(' ');
        }
        joined.push_str(w);
    }
    joined
}

/// The first eight bytes of `word` as a big-endian number, padded with
/// zeros: `(prefix(a), a) < (prefix(b), b)` exactly when `a < b`, because
/// where the prefixes differ the words differ there in the same order (a
/// word that ends first pads with 0, no more than the other's byte), and
/// where they are equal the words decide.
fn prefix(word: &str) -> u64 {
    let mut b = [0u8; 8];
    let n = word.len().min(8);
    b[..n].copy_from_slice(&word.as_bytes()[..n]);
    u64::from_be_bytes(b)
}

/// Calls `f` with each word of `text`, as `text.split_whitespace()` gives
/// them; ASCII text (nearly all of a register) byte by byte, without
/// decoding characters.
fn for_each_word<'t>(text: &'t str, mut f: impl FnMut(&'t str)) {
    if !text.is_ascii() {
        text.split_whitespace().for_each(f);
        return;
    }
    // `char::is_whitespace` on ASCII: space, tab, LF, VT, FF, CR.
    let space = |b: u8| matches!(b, b' ' | b'\t'..=b'\r');
    let mut start = None;
    for (i, &b) in text.as_bytes().iter().enumerate() {
        match (space(b), start) {
            (true, Some(s)) => {
                f(&text[s..i]);
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        f(&text[s..]);
    }
}

/// The first `HEAD` characters of `text`, in an allocation of their size.
fn head(text: &str) -> String {
    match text.char_indices().nth(HEAD) {
        Some((end, _)) => text[..end].to_string(),
        None => text.to_string(),
    }
}

/// Renders Markdown for a page `root` levels below the site root
/// (`root` is the relative prefix such as `../../`).
pub fn to_html(md: &str, root: &str) -> String {
    render(md, root).html
}

/// [`to_html`] and [`plain_text`] from one parse: the parse is most of the
/// cost, and every field is needed both ways.
pub fn render(md: &str, root: &str) -> Rendered {
    render_labelled(md, root, &TaskLabels::english())
}

/// The accessible names of a task list's boxes, in the site's language.
pub struct TaskLabels {
    pub done: String,
    pub not_done: String,
}

impl TaskLabels {
    pub fn english() -> TaskLabels {
        TaskLabels {
            done: "Done".into(),
            not_done: "Not done".into(),
        }
    }
}

/// [`render`], with the task boxes named in the site's language.
pub fn render_labelled(md: &str, root: &str, labels: &TaskLabels) -> Rendered {
    let opts = options(root);
    let arena = Arena::new();
    let doc = parse_document(&arena, md, &opts);
    let mut text = String::new();
    for node in doc.descendants() {
        let mut data = node.data.borrow_mut();
        collect_text(&data.value, &mut text);
        // Pages put Markdown under their own <h1>/<h2>: an author's `#`
        // becomes <h2>, keeping one <h1> per page and the outline intact.
        if let NodeValue::Heading(h) = &mut data.value {
            h.level = (h.level + 1).min(6);
        }
        if let NodeValue::Image(link) = &mut data.value {
            let url = link.url.to_string();
            if is_remote(&url) {
                // Keep the reference visible but inert: a link, not a load.
                data.value = NodeValue::Link(Box::new(comrak::nodes::NodeLink {
                    url,
                    title: link.title.clone(),
                }));
            } else {
                link.url = rebase(&url, root);
            }
        }
    }
    let mut html = String::new();
    if format_html(doc, &opts, &mut html).is_err() {
        html.clear();
    }
    Rendered {
        html: labelled_task_boxes(modern_alignment(visible(html)), labels),
        text: one_line(&visible(text)),
    }
}

/// Raw control and bidi characters are refused in content text, but a
/// character reference writes them past that rule (`&#27;`, `&#x202e;`):
/// each becomes a visible U+FFFD, as in commit text, never an ESC, BEL or
/// reordering on the page.
fn visible(text: String) -> String {
    let Some((at, _)) = crate::content::yaml::find_unsafe_text_char(&text) else {
        return text;
    };
    let mut out = String::with_capacity(text.len() + 2);
    out.push_str(&text[..at]);
    out.extend(text[at..].chars().map(|c| {
        if crate::content::yaml::is_unsafe_text_char(c) {
            '\u{fffd}'
        } else {
            c
        }
    }));
    out
}

/// Adds a node's own words to `text`; blocks are separated by a space.
/// Raw HTML is left out: pages show it as text, but it is not what
/// readers search for or expect in a summary.
fn collect_text(value: &NodeValue, text: &mut String) {
    match value {
        NodeValue::Text(t) => text.push_str(t),
        NodeValue::Code(c) => text.push_str(&c.literal),
        NodeValue::SoftBreak | NodeValue::LineBreak => text.push(' '),
        NodeValue::Paragraph
        | NodeValue::Item(_)
        | NodeValue::TaskItem(_)
        | NodeValue::Heading(_)
        | NodeValue::TableCell
        | NodeValue::FootnoteDefinition(_)
            if !text.is_empty() =>
        {
            text.push(' ')
        }
        _ => {}
    }
}

/// Collapses every run of white space to one space, trimmed (OSCAL
/// titles, feed titles and search excerpts are one line).
pub fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for_each_word(text, |word| {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    });
    out
}

/// comrak writes a task list item's box as a bare disabled checkbox; a
/// form control without a label is announced as just "checkbox" (WCAG
/// 1.3.1, 4.1.2). Author text is escaped, so these come from comrak only.
fn labelled_task_boxes(html: String, labels: &TaskLabels) -> String {
    if !html.contains("<input type=\"checkbox\"") {
        return html;
    }
    // The labels come from a catalogue a team may extend: escaped too.
    let (done, not_done) = (
        crate::output::markup::escape(&labels.done),
        crate::output::markup::escape(&labels.not_done),
    );
    html.replace(
        "<input type=\"checkbox\" checked=\"\" disabled=\"\" />",
        &format!("<input type=\"checkbox\" checked=\"\" disabled=\"\" aria-label=\"{done}\" />"),
    )
    .replace(
        "<input type=\"checkbox\" disabled=\"\" />",
        &format!("<input type=\"checkbox\" disabled=\"\" aria-label=\"{not_done}\" />"),
    )
}

/// comrak writes table alignment as `align="…"`, obsolete in HTML5; the
/// same as a style keeps pages valid. Author text is escaped, so these
/// sequences can only come from comrak itself.
fn modern_alignment(html: String) -> String {
    if !html.contains(" align=\"") {
        return html;
    }
    let mut out = html;
    for cell in ["th", "td"] {
        for side in ["left", "center", "right"] {
            out = out.replace(
                &format!("<{cell} align=\"{side}\""),
                &format!("<{cell} style=\"text-align: {side}\""),
            );
        }
    }
    out
}

/// Plain text of Markdown, cut at about `max` characters on a word
/// boundary: for table cells and summaries.
pub fn excerpt(md: &str, max: usize) -> String {
    cut(&plain_text(md), max)
}

/// `text` (already plain, on one line) cut at about `max` characters on a
/// word boundary, with an ellipsis when anything was cut.
pub fn cut(text: &str, max: usize) -> String {
    let Some((end, _)) = text.char_indices().nth(max) else {
        return text.to_string();
    };
    let head = &text[..end];
    let head = match head.rfind(' ') {
        Some(i) if i > max / 2 => &head[..i],
        _ => head,
    };
    format!("{head}…")
}

/// The words of Markdown without its markup, on one line.
pub fn plain_text(md: &str) -> String {
    render(md, "").text
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 27: the start an entry keeps of its text cuts as the whole
    /// text does.
    #[test]
    fn the_start_kept_of_a_text_cuts_as_the_whole_text() {
        let long = "word ".repeat(100) + "end. More";
        assert_eq!(cut(&head(&long), 160), cut(&long, 160));
        assert_eq!(cut(&head(&long), 200), cut(&long, 200));
        assert_eq!(head(&long).chars().count(), HEAD);
        assert_eq!(head("short"), "short");
    }

    /// Issue 27: the words are split, sorted and made distinct as
    /// `split_whitespace`, `sort` and `dedup` do, byte for byte; and text
    /// is put on one line as `split_whitespace` and `join` do.
    #[test]
    fn the_fast_word_paths_give_what_the_plain_ones_give() {
        let mut rng = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            rng
        };
        let pieces = [
            "a",
            "ab",
            "abcdefgh",
            "abcdefghi",
            "abcdefgh\0",
            "abcdefg",
            "\0",
            "Z",
            "é",
            "ée",
            "e\u{301}",
            " ",
            "  ",
            "\t",
            "\n",
            "\u{b}",
            "\u{c}",
            "\r",
            "\u{a0}",
            "\u{2003}",
            "\u{3000}",
            "x\u{85}y",
            "zzzzzzzzzzzz",
            "0",
            "10",
            "1",
            "~",
            "\u{7f}",
        ];
        for _ in 0..3000 {
            let texts: Vec<String> = (0..(next() % 4))
                .map(|_| {
                    (0..(next() % 12))
                        .map(|_| pieces[(next() % pieces.len() as u64) as usize])
                        .collect()
                })
                .collect();
            let mut words: Vec<&str> = texts.iter().flat_map(|t| t.split_whitespace()).collect();
            words.sort_unstable();
            words.dedup();
            let tokens = distinct_tokens(texts.iter().map(String::as_str));
            assert_eq!(tokens, words.join(" "), "{texts:?}");
            for t in &texts {
                let plain = t.split_whitespace().collect::<Vec<_>>().join(" ");
                assert_eq!(one_line(t), plain, "{t:?}");
            }
        }
    }

    #[test]
    fn task_list_boxes_say_done_or_not_done() {
        let html = to_html("- [x] shipped\n- [ ] pending\n", "");
        assert!(
            html.contains("checked=\"\" disabled=\"\" aria-label=\"Done\""),
            "{html}"
        );
        assert!(
            html.contains("<input type=\"checkbox\" disabled=\"\" aria-label=\"Not done\""),
            "{html}"
        );
        // An author cannot forge one: their text is escaped.
        let forged = to_html("<input type=\"checkbox\" disabled=\"\" />", "");
        assert!(!forged.contains("aria-label"), "{forged}");
    }

    #[test]
    fn character_references_write_no_control_or_bidi_character() {
        let r = render("A &#27;]0;x&#7; b &#x202e;cba &#x1b; &#127;\tc", "");
        assert_eq!(
            r.html,
            "<p>A \u{fffd}]0;x\u{fffd} b \u{fffd}cba \u{fffd} \u{fffd}\tc</p>\n"
        );
        assert_eq!(
            r.text,
            "A \u{fffd}]0;x\u{fffd} b \u{fffd}cba \u{fffd} \u{fffd} c"
        );
    }

    #[test]
    fn raw_html_is_inert_and_scripts_never_run() {
        let html = to_html(
            "Hello <script>alert(1)</script> <img src=x onerror=alert(1)>\n\n[x](javascript:alert(1))",
            "../../",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
    }

    #[test]
    fn remote_images_become_links_and_evidence_is_rebased() {
        let html = to_html(
            "![logo](https://cdn.example.com/x.png) ![scan](evidence/a.png) [report](evidence/r.pdf)",
            "../../",
        );
        assert!(!html.contains("<img src=\"https://"), "{html}");
        assert!(
            html.contains("href=\"https://cdn.example.com/x.png\""),
            "{html}"
        );
        assert!(html.contains("src=\"../../evidence/a.png\""), "{html}");
        assert!(html.contains("href=\"../../evidence/r.pdf\""), "{html}");
    }

    #[test]
    fn headings_are_demoted_below_the_page_title() {
        let html = to_html("# Inputs\n\n###### Deep", "");
        assert!(html.contains("<h2>Inputs</h2>"), "{html}");
        assert!(html.contains("<h6>Deep</h6>"), "{html}");
    }

    #[test]
    fn github_extensions_render() {
        let html = to_html(
            "| a | b |\n|:--|--:|\n| 1 | 2 |\n\n- [x] done\n- [ ] todo\n\n~~old~~ text[^1]\n\n[^1]: note\n",
            "",
        );
        assert!(html.contains("<table>"));
        assert!(
            html.contains("<td style=\"text-align: right\">2</td>"),
            "{html}"
        );
        assert!(!html.contains(" align="), "{html}");
        assert!(html.contains("type=\"checkbox\""));
        assert!(html.contains("<del>old</del>"));
        assert!(html.contains("footnote"));
    }

    #[test]
    fn excerpt_strips_markup_and_cuts_on_words() {
        assert_eq!(
            excerpt("**Bold** and `code`\n\n- one\n- two", 100),
            "Bold and code one two"
        );
        assert_eq!(excerpt("alpha beta gamma delta", 12), "alpha beta…");
        assert_eq!(excerpt("alpha beta gamma", 16), "alpha beta gamma");
        assert_eq!(cut("ééééé ééééé", 8), "ééééé…");
    }

    #[test]
    fn text_is_what_the_page_shows() {
        let r = render(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n\n~~old~~ <b>x</b>",
            "",
        );
        assert_eq!(r.text, "a b 1 2 done old x");
        assert_eq!(
            r.html,
            to_html(
                "| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n\n~~old~~ <b>x</b>",
                ""
            )
        );
    }
}
