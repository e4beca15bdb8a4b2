//! Holds the event reader to serde-saphyr. The event reader exists only to
//! be fast; serde-saphyr is the reference. Any difference between the two
//! (a file one accepts and the other refuses, or a different tree) is a
//! bug, so the `yaml_differential` fuzz target, its replay in
//! `tests/fuzz_regressions.rs` and the unit tests all run [`check`].

use super::{Node, SyntaxError, attach_raw, events, parse_reference, parse_syntax};

/// Compares the readers on `text`: the event reader must either decline
/// it or give exactly serde-saphyr's tree (values, positions, source
/// text), and [`parse_syntax`] must give exactly what serde-saphyr gives,
/// tree or error (the rule on characters comes after, in `parse`). `Ok(true)` when the event reader read the text itself; `Err`
/// describes the first difference.
pub fn check(text: &str) -> Result<bool, String> {
    let reference = parse_reference(text);
    let fast = events::parse(text).map(|mut node| {
        attach_raw(&mut node, text);
        node
    });
    let read = fast.is_some();
    if let Some(fast) = fast {
        match &reference {
            Ok(r) if same_tree(&fast, r) => {}
            Ok(r) => return Err(format!("different trees:\n event: {fast:?}\n   ref: {r:?}")),
            Err(e) => return Err(format!("event reader accepts, serde-saphyr refuses: {e:?}")),
        }
    }
    match (parse_syntax(text, 0), reference) {
        (Ok(a), Ok(b)) if same_tree(&a, &b) => Ok(read),
        (Err(a), Err(b)) if same_error(&a, &b) => Ok(read),
        (a, b) => Err(format!("parse differs:\n parse: {a:?}\n   ref: {b:?}")),
    }
}

/// Trees compared through their full debug form: `NaN` then equals `NaN`
/// and `-0.0` differs from `0.0`, as the text an author reads does.
fn same_tree(a: &Node, b: &Node) -> bool {
    format!("{a:?}") == format!("{b:?}")
}

fn same_error(a: &SyntaxError, b: &SyntaxError) -> bool {
    a.pos == b.pos && a.message == b.message && a.hint == b.hint
}

/// `rounds` variants of `files`, each with one to three random edits
/// (characters dropped, YAML's special characters inserted, lines
/// indented or outdented): near-valid YAML, where the readers are most
/// likely to part. Deterministic.
pub fn mutate(files: &[String], rounds: usize) -> Vec<String> {
    let mut rng = crate::model::rng::XorShift::new(0x2545_f491_4f6c_dd1d);
    let mut next = |n: usize| rng.below(n);
    let specials = [
        ":", " ", "-", "#", "'", "\"", "[", "]", "{", "}", ",", "|", ">", "&", "*", "!", "?", "\n",
        "  ", "é", "0", "1.5", "yes", "~", "- ", ": ", "<<", "\u{7}", "\u{1b}",
    ];
    (0..rounds)
        .map(|round| {
            let mut t = files[round % files.len()].clone();
            for _ in 0..1 + next(3) {
                let mut at = next(t.len().max(1)).min(t.len());
                while !t.is_char_boundary(at) {
                    at -= 1;
                }
                let line_start = t[..at].rfind('\n').map_or(0, |i| i + 1);
                match next(4) {
                    0 => {
                        let mut end = (at + 1 + next(4)).min(t.len());
                        while !t.is_char_boundary(end) {
                            end += 1;
                        }
                        t.replace_range(at..end, "");
                    }
                    1 => t.insert_str(at, specials[next(specials.len())]),
                    2 => t.insert_str(line_start, if next(2) == 0 { " " } else { "  " }),
                    _ => {
                        if t[line_start..].starts_with(' ') {
                            t.remove(line_start);
                        }
                    }
                }
            }
            t
        })
        .collect()
}
