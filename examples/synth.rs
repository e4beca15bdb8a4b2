//! Writes a synthetic register for benchmarks: deterministic for a given
//! size and seed, with realistic field sizes.
//!
//! cargo run --release --example synth -- 1000 /tmp/synth-1000 [seed]
//!
//! One plan per 5 entries, one review per 50, Markdown of 60–200 words,
//! 1–6 history records, 0–3 KPIs with up to 12 measurements.

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
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len() as u64) as usize]
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
const STATUSES: &[&str] = &[
    "not-started",
    "planned",
    "in-progress",
    "completed",
    "cancelled",
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

fn words(rng: &mut Rng, min: u64, max: u64) -> String {
    let n = min + rng.below(max - min + 1);
    let mut s = String::new();
    for i in 0..n {
        if i > 0 {
            s.push(if i % 17 == 0 { '\n' } else { ' ' });
        }
        s.push_str(rng.pick(WORDS));
    }
    s
}

fn date(day: i64) -> String {
    let base = chrono::NaiveDate::from_ymd_opt(2023, 1, 2).expect("valid");
    (base + chrono::Duration::days(day))
        .format("%Y-%m-%d")
        .to_string()
}

fn block(text: &str) -> String {
    let mut s = String::from("|\n");
    for line in text.lines() {
        let _ = writeln!(s, "  {line}");
    }
    s
}

fn entry(rng: &mut Rng, i: usize) -> String {
    let identified = rng.below(1000) as i64;
    let status = rng.pick(STATUSES);
    let mut y = String::new();
    let _ = writeln!(
        y,
        "title: Improve {} {} {}",
        rng.pick(WORDS),
        rng.pick(WORDS),
        i
    );
    let _ = write!(y, "description: {}", block(&words(rng, 60, 200)));
    let _ = writeln!(y, "source: {}", rng.pick(SOURCES));
    let _ = writeln!(y, "identified: {}", date(identified));
    let _ = writeln!(y, "status: {status}");
    let _ = writeln!(y, "priority: {}", rng.pick(PRIORITIES));
    let _ = writeln!(y, "owner: {}", rng.pick(OWNERS));
    let _ = writeln!(
        y,
        "target: {}",
        date(identified + 60 + rng.below(300) as i64)
    );
    let _ = writeln!(y, "benefit: {}", rng.pick(PRIORITIES));
    let _ = writeln!(y, "effort: {}", rng.pick(PRIORITIES));
    let _ = writeln!(
        y,
        "controls: [{}, {}]",
        rng.pick(CONTROLS),
        rng.pick(CONTROLS)
    );
    let _ = writeln!(y, "tags: [{}]", rng.pick(TAGS));
    let records = 1 + rng.below(6) as i64;
    let step = 5 + rng.below(20) as i64;
    let _ = writeln!(y, "history:");
    for h in 0..records {
        let d = identified + 1 + h * step;
        let st = if h == records - 1 {
            status
        } else {
            "in-progress"
        };
        let _ = writeln!(
            y,
            "  - date: {}\n    status: {st}\n    note: {}",
            date(d),
            words(rng, 5, 15).replace('\n', " ")
        );
    }
    let last = identified + 1 + (records - 1) * step;
    if status == "completed" {
        let _ = write!(y, "outcome: {}", block(&words(rng, 60, 200)));
    }
    let kpis = rng.below(4);
    if kpis > 0 {
        let _ = writeln!(y, "kpis:");
        for k in 0..kpis {
            let _ = writeln!(
                y,
                "  - name: Measure {k} of {}\n    unit: \"%\"\n    baseline: {}\n    target: {}\n    direction: decrease\n    measurements:",
                rng.pick(WORDS),
                40 + rng.below(40),
                5 + rng.below(10)
            );
            for m in 0..(1 + rng.below(12)) as i64 {
                let _ = writeln!(
                    y,
                    "      - {{date: {}, value: {}}}",
                    date(identified + m * 30),
                    10 + rng.below(60)
                );
            }
        }
    }
    if status == "completed" && last >= identified {
        let _ = writeln!(y, "completed: {}", date(last));
    }
    y
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
            dir.join(format!("register/SYN-{i:05}.yaml")),
            entry(&mut rng, i),
        )
        .expect("write entry");
    }
    for p in 0..n / 5 {
        let ids: Vec<String> = (0..3)
            .map(|_| format!("SYN-{:05}", 1 + rng.below(n as u64)))
            .collect();
        let mut s = format!(
            "---\ntitle: Plan {p}\nentries: [{}]\nowner: {}\nupdated: {}\nmilestones:\n",
            ids.join(", "),
            rng.pick(OWNERS),
            date(900)
        );
        for m in 0..3 {
            let _ = writeln!(
                s,
                "  - title: Milestone {m}\n    due: {}",
                date(700 + rng.below(400) as i64)
            );
        }
        let _ = write!(
            s,
            "---\n# Plan {p}\n\n{}\n\n| step | owner |\n|---|---|\n| one | {} |\n\n- [x] agreed\n- [ ] done\n",
            words(&mut rng, 60, 200),
            rng.pick(OWNERS)
        );
        fs::write(dir.join(format!("plans/plan-{p:05}.md")), s).expect("write plan");
    }
    for r in 0..n / 50 {
        let ids: Vec<String> = (0..5)
            .map(|_| format!("SYN-{:05}", 1 + rng.below(n as u64)))
            .collect();
        let s = format!(
            "---\ntitle: Review {r}\ndate: {}\nkind: management-review\nattendees: [CISO, CIO]\nentries: [{}]\n---\n{}\n",
            date(100 + r as i64 * 7),
            ids.join(", "),
            words(&mut rng, 60, 200)
        );
        fs::write(dir.join(format!("reviews/review-{r:04}.md")), s).expect("write review");
    }
    println!(
        "wrote {n} entries, {} plans, {} reviews to {}",
        n / 5,
        n / 50,
        dir.display()
    );
}
