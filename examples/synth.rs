//! Writes a synthetic register for benchmarks: deterministic for a given
//! size and seed, with realistic field sizes and a realistic life cycle.
//!
//! cargo run --release --example synth -- 1000 /tmp/synth-1000 [seed]
//!
//! - N entries over four years (2023-01-02 to 2026-11-03), ids in order of
//!   identification, laid out for `--as-of 2026-11-27`;
//! - descriptions and outcomes (expected, or achieved) in Markdown of 60–200
//!   words (paragraphs, emphasis, code, some lists and links);
//! - 1–6 history records, 0–3 KPIs with 1–12 monthly measurements, an
//!   effectiveness review on a third of the completed entries;
//! - most entries finish on time, some late, a few are cancelled; old open
//!   entries are rare, as in a register that is worked on;
//! - one plan per 5 entries (1–4 related entries, 2–4 milestones, Markdown
//!   with a table and a task list), one review per 50 entries (mixed kinds,
//!   spread over the period, discussing entries identified before it).

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

/// A small xorshift generator: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    /// A whole number in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1).max(1) as u64) as i64
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len() as u64) as usize]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

const WORDS: &[&str] = &[
    "access",
    "review",
    "control",
    "supplier",
    "backup",
    "restore",
    "incident",
    "response",
    "phishing",
    "training",
    "awareness",
    "patch",
    "vulnerability",
    "scan",
    "cloud",
    "logging",
    "monitoring",
    "asset",
    "inventory",
    "encryption",
    "policy",
    "procedure",
    "risk",
    "treatment",
    "audit",
    "finding",
    "evidence",
    "owner",
    "quarterly",
    "process",
    "staff",
    "privileged",
    "accounts",
    "network",
    "segmentation",
    "the",
    "and",
    "of",
    "to",
    "for",
    "with",
    "within",
    "after",
    "before",
    "every",
    "all",
    "new",
    "improve",
];
const OWNERS: &[&str] = &[
    "IT Operations",
    "CISO",
    "ISMS Manager",
    "Head of IT",
    "HR Manager",
    "Development Lead",
    "Facilities Manager",
    "Procurement",
    "Legal",
    "Service Desk",
];
const PRIORITIES: &[&str] = &["high", "medium", "low"];
const SOURCES: &[&str] = &[
    "internal-audit",
    "external-audit",
    "incident",
    "nonconformity",
    "management-review",
    "risk-assessment",
    "feedback",
    "monitoring",
    "other",
];
const TYPES: &[&str] = &[
    "improvement",
    "improvement",
    "corrective-action",
    "preventive-action",
];
const CONTROLS: &[&str] = &[
    "A.5.15", "A.5.17", "A.5.18", "A.6.3", "A.8.8", "A.5.24", "A.5.26", "A.5.23", "A.8.13",
    "A.8.15", "A.8.16", "A.7.7", "A.8.24", "A.5.19", "A.5.30", "10.1", "10.2", "9.2", "6.1.3",
];
const TAGS: &[&str] = &[
    "awareness",
    "cloud",
    "suppliers",
    "identity",
    "resilience",
    "logging",
    "endpoint",
    "people",
];
const REVIEW_KINDS: &[&str] = &[
    "management-review",
    "internal-audit",
    "internal-audit",
    "progress-review",
    "progress-review",
    "external-audit",
];
const RESULTS: &[&str] = &[
    "effective",
    "effective",
    "partially-effective",
    "not-effective",
];

/// Days from 2023-01-02 over which entries are identified.
const SPAN: i64 = 1400;
/// The as-of date the register is laid out for (2026-11-27).
const TODAY: i64 = 1425;

fn date(day: i64) -> String {
    let base = chrono::NaiveDate::from_ymd_opt(2023, 1, 2).expect("valid");
    (base + chrono::Duration::days(day))
        .format("%Y-%m-%d")
        .to_string()
}

/// Plain words, one line.
fn words(rng: &mut Rng, min: u64, max: u64) -> String {
    let n = min + rng.below(max - min + 1);
    (0..n)
        .map(|_| rng.pick(WORDS))
        .collect::<Vec<_>>()
        .join(" ")
}

/// 60–200 words of Markdown: paragraphs with emphasis and code, sometimes
/// a bullet list or a link; lines wrapped as an author's editor would.
fn markdown(rng: &mut Rng) -> String {
    let total = rng.range(60, 200);
    let mut out = String::new();
    let mut written = 0;
    while written < total {
        let n = rng.range(15, 45).min(total - written);
        if rng.chance(20) && n >= 9 {
            for _ in 0..3 {
                let _ = writeln!(out, "- {}", words(rng, 3, 3));
            }
            written += 9;
        } else {
            let mut line_len = 0;
            for w in 0..n {
                let word = rng.pick(WORDS);
                let word = match rng.below(30) {
                    0 => format!("**{word}**"),
                    1 => format!("`{word}`"),
                    2 => format!("*{word}*"),
                    3 if w + 1 < n => format!("[{word}](https://intranet.example/{word})"),
                    _ => word.to_string(),
                };
                if line_len > 70 {
                    out.push('\n');
                    line_len = 0;
                } else if w > 0 {
                    out.push(' ');
                }
                line_len += word.len() + 1;
                out.push_str(&word);
            }
            out.push('\n');
            written += n;
        }
        out.push('\n');
    }
    out
}

/// A YAML block scalar, indented under its key.
fn block(text: &str, indent: &str) -> String {
    let mut s = String::from("|\n");
    for line in text.trim_end().lines() {
        if line.is_empty() {
            s.push('\n');
        } else {
            let _ = writeln!(s, "{indent}{line}");
        }
    }
    s
}

/// How an entry's life goes: its status as of [`TODAY`] and the day it
/// closed, if it did.
struct Life {
    identified: i64,
    target: i64,
    status: &'static str,
    closed: Option<i64>,
}

fn life(rng: &mut Rng, i: usize, n: usize) -> Life {
    let identified = (i as i64 - 1) * SPAN / n as i64 + rng.below(3) as i64;
    let planned = rng.range(30, 270);
    let target = identified + planned;
    let (end, closing) = match rng.below(100) {
        0..=4 => (identified + rng.range(5, planned), "cancelled"),
        5..=74 => (identified + planned * rng.range(40, 100) / 100, "completed"),
        75..=94 => (target + rng.range(1, 90), "completed"),
        _ => (target + rng.range(90, 500), "completed"),
    };
    let end = end.max(identified + 1);
    if end <= TODAY {
        return Life {
            identified,
            target,
            status: closing,
            closed: Some(end),
        };
    }
    let age = TODAY - identified;
    let status = if age < 14 {
        "not-started"
    } else if age < 40 {
        "planned"
    } else {
        "in-progress"
    };
    Life {
        identified,
        target,
        status,
        closed: None,
    }
}

fn entry(rng: &mut Rng, i: usize, n: usize) -> String {
    let l = life(rng, i, n);
    let mut y = String::new();
    let _ = writeln!(
        y,
        "title: Improve {} {} {}",
        rng.pick(WORDS),
        rng.pick(WORDS),
        i
    );
    let _ = write!(y, "description: {}", block(&markdown(rng), "  "));
    let _ = writeln!(y, "source: {}", rng.pick(SOURCES));
    let _ = writeln!(y, "type: {}", rng.pick(TYPES));
    let _ = writeln!(y, "identified: {}", date(l.identified));
    let _ = writeln!(y, "status: {}", l.status);
    let _ = writeln!(y, "priority: {}", rng.pick(PRIORITIES));
    if rng.chance(95) {
        let _ = writeln!(y, "owner: {}", rng.pick(OWNERS));
    }
    let _ = writeln!(y, "target: {}", date(l.target));
    let _ = writeln!(y, "benefit: {}", rng.pick(PRIORITIES));
    let _ = writeln!(y, "effort: {}", rng.pick(PRIORITIES));
    let _ = writeln!(
        y,
        "controls: [{}, {}]",
        rng.pick(CONTROLS),
        rng.pick(CONTROLS)
    );
    let _ = writeln!(y, "tags: [{}]", rng.pick(TAGS));
    let _ = write!(y, "outcome: {}", block(&markdown(rng), "  "));
    history(rng, &l, &mut y);
    if let Some(c) = l.closed.filter(|_| l.status == "completed") {
        let _ = writeln!(y, "completed: {}", date(c));
        if rng.chance(33) && c + 30 <= TODAY {
            let _ = writeln!(
                y,
                "effectiveness:\n  date: {}\n  result: {}\n  by: {}",
                date(c + rng.range(30, (TODAY - c).min(180))),
                rng.pick(RESULTS),
                rng.pick(OWNERS)
            );
        }
    }
    kpis(rng, &l, &mut y);
    y
}

/// 1–6 records between identification and closing (or today), oldest
/// first; the last one carries the entry's status.
fn history(rng: &mut Rng, l: &Life, y: &mut String) {
    let records = rng.range(1, 6);
    let last = l.closed.unwrap_or(TODAY).max(l.identified + 1);
    let _ = writeln!(y, "history:");
    for h in 1..=records {
        let d = l.identified + (last - l.identified) * h / records;
        let status = if h == records {
            Some(l.status)
        } else if h == 1 && l.status != "not-started" {
            Some("planned")
        } else if l.status == "not-started" || l.status == "planned" {
            None
        } else {
            Some("in-progress").filter(|_| h == 2)
        };
        let _ = writeln!(y, "  - date: {}", date(d));
        if let Some(s) = status {
            let _ = writeln!(y, "    status: {s}");
        }
        let _ = writeln!(y, "    note: {}", words(rng, 5, 15));
    }
}

/// 0–3 KPIs, each measured monthly since identification (1–12 values).
fn kpis(rng: &mut Rng, l: &Life, y: &mut String) {
    let kpis = rng.below(4);
    if kpis == 0 {
        return;
    }
    let _ = writeln!(y, "kpis:");
    for k in 0..kpis {
        let _ = writeln!(
            y,
            "  - name: Measure {k} of {}\n    unit: \"%\"\n    baseline: {}\n    target: {}\n    direction: decrease\n    measurements:",
            rng.pick(WORDS),
            40 + rng.below(40),
            5 + rng.below(10)
        );
        let possible = 1 + (TODAY - l.identified) / 30;
        for m in 0..rng.range(1, 12).min(possible) {
            let _ = writeln!(
                y,
                "      - {{date: {}, value: {}}}",
                date(l.identified + m * 30),
                10 + rng.below(60)
            );
        }
    }
}

fn id(i: usize) -> String {
    format!("SYN-{i:05}")
}

fn plan(rng: &mut Rng, p: usize, n: usize) -> String {
    // A plan groups related entries identified around the same time.
    let first = 1 + p * 5;
    let ids: Vec<String> = (0..rng.range(1, 4))
        .map(|_| id((first + rng.below(8) as usize).min(n)))
        .collect();
    let start = (first as i64 - 1) * SPAN / n as i64;
    let mut s = format!(
        "---\ntitle: Plan {p} — {}\nentries: [{}]\nowner: {}\nupdated: {}\nmilestones:\n",
        words(rng, 2, 4),
        ids.join(", "),
        rng.pick(OWNERS),
        date((start + rng.range(10, 120)).min(TODAY))
    );
    for m in 0..rng.range(2, 4) {
        let due = start + 30 * (m + 1) + rng.range(0, 60);
        let _ = writeln!(
            s,
            "  - title: Milestone {m} — {}\n    due: {}",
            words(rng, 2, 5),
            date(due)
        );
        if due + 10 < TODAY && rng.chance(85) {
            let _ = writeln!(s, "    done: {}", date(due + rng.range(-10, 10)));
        }
    }
    let _ = write!(
        s,
        "---\n# Plan {p}\n\n{}\n| step | owner | due |\n|---|---|---|\n| agree scope | {} | {} |\n| implement | {} | {} |\n\n- [x] agreed with the owner\n- [ ] evidence filed\n",
        markdown(rng),
        rng.pick(OWNERS),
        date(start + 20),
        rng.pick(OWNERS),
        date(start + 90)
    );
    s
}

fn review(rng: &mut Rng, r: usize, reviews: usize, n: usize) -> String {
    let day = 30 + r as i64 * (TODAY - 30) / reviews as i64;
    // Entries identified by then.
    let known = ((day * n as i64 / SPAN) as usize).clamp(1, n);
    let ids: Vec<String> = (0..5)
        .map(|_| id(known - rng.below(known.min(200) as u64) as usize))
        .collect();
    format!(
        "---\ntitle: Review {r}\ndate: {}\nkind: {}\nattendees: [CISO, CIO, ISMS Manager]\nentries: [{}]\n---\n{}",
        date(day),
        rng.pick(REVIEW_KINDS),
        ids.join(", "),
        markdown(rng)
    )
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(1000);
    let dir = Path::new(args.get(2).map(String::as_str).unwrap_or("synth"));
    let seed: u64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(42);
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    if dir.exists() {
        fs::remove_dir_all(dir).expect("remove old synthetic register");
    }
    for sub in ["register", "plans", "reviews"] {
        fs::create_dir_all(dir.join(sub)).expect("create folders");
    }
    fs::write(dir.join("site.yaml"), "title: Synthetic register\nregister:\n  created: 2023-01-02\n  responsible: ISMS Manager\n").expect("write site.yaml");
    for i in 1..=n {
        fs::write(
            dir.join(format!("register/{}.yaml", id(i))),
            entry(&mut rng, i, n),
        )
        .expect("write entry");
    }
    for p in 0..n / 5 {
        fs::write(
            dir.join(format!("plans/plan-{p:05}.md")),
            plan(&mut rng, p, n),
        )
        .expect("write plan");
    }
    for r in 0..n / 50 {
        fs::write(
            dir.join(format!("reviews/review-{r:04}.md")),
            review(&mut rng, r, n / 50, n),
        )
        .expect("write review");
    }
    println!(
        "wrote {n} entries, {} plans, {} reviews to {}",
        n / 5,
        n / 50,
        dir.display()
    );
}
