//! The site's interface in its readers' language: the catalogues of every
//! word isms-site adds to a page (Fluent `.ftl`, one file per language),
//! the names of statuses and the other enumerations, dates and numbers.
//!
//! The catalogues of the languages isms-site ships are compiled into the
//! binary (`themes/default/translations/`). A team's
//! `content/translations/<language>.ftl` is laid over the built-in one of
//! its language, string by string, so a team can change one label or add a
//! language of its own; a string missing from both falls back to English,
//! and `check` names each missing key (see [`attach`]).
//!
//! Fluent, not a plain key–value file, because sentences with a count need
//! the language's plural rules (CLDR: one German form for 1, another for
//! the rest; one Japanese form for all), which a translator writes in the
//! file itself.

use crate::content::yaml::{self, Ctx, Fields};
use crate::model::diag::{Diagnostics, Pos};
use crate::model::{Enumerated, Locale};
use chrono::{Datelike, NaiveDate};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::borrow::Cow;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use unic_langid::LanguageIdentifier;

/// The built-in catalogues, by language tag; English first (the fallback).
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "en",
        include_str!("../../themes/default/translations/en.ftl"),
    ),
    (
        "de",
        include_str!("../../themes/default/translations/de.ftl"),
    ),
    (
        "fr",
        include_str!("../../themes/default/translations/fr.ftl"),
    ),
    (
        "es",
        include_str!("../../themes/default/translations/es.ftl"),
    ),
    (
        "ja",
        include_str!("../../themes/default/translations/ja.ftl"),
    ),
];

/// The English catalogue: every key a page may ask for.
pub fn english_source() -> &'static str {
    BUILTIN[0].1
}

/// Reads site.yaml's `language:` and `date_format:`.
pub fn read_locale(f: &Fields, ctx: &mut Ctx) -> Locale {
    let language = f.get("language").and_then(|n| {
        let tag = yaml::text(n, "language", ctx)?;
        match tag.parse::<LanguageIdentifier>() {
            Ok(_) => Some(tag),
            Err(_) => {
                ctx.error(
                    n.pos,
                    format!("`language` must be a BCP 47 language tag, not {tag:?}"),
                    "write e.g. `language: de`, `language: fr-CH` or `language: ja`",
                );
                None
            }
        }
    });
    let long_dates = f.get("date_format").and_then(|n| {
        let v = yaml::text(n, "date_format", ctx)?;
        match v.as_str() {
            "iso" => Some(false),
            "long" => Some(true),
            _ => {
                ctx.error(
                    n.pos,
                    format!("`date_format` must be `iso` or `long`, not {v:?}"),
                    "write `date_format: long` for \"5 December 2026\", or leave it out for 2026-12-05",
                );
                None
            }
        }
    });
    Locale {
        language,
        long_dates: long_dates.unwrap_or(false),
        translations: None,
    }
}

/// Finds the team's file for the site's language among `files`
/// (`translations/*.ftl`), reads it into `locale`, and reports its syntax
/// errors and the keys neither it nor a built-in catalogue translates
/// (`site` is site.yaml, where a language without any catalogue is named).
pub fn attach(
    locale: &mut Locale,
    files: &[PathBuf],
    site: &Path,
    source: &dyn super::Source,
    diags: &mut Diagnostics,
) {
    let tag = locale.language.as_deref().unwrap_or("en");
    let wanted = |p: &&PathBuf| {
        p.file_stem()
            .and_then(|s| s.to_str())
            .is_some_and(|s| s.eq_ignore_ascii_case(tag))
    };
    if let Some(path) = files.iter().find(wanted)
        && let Some(text) = source.read(path, diags)
    {
        report_syntax(path, &text, diags);
        locale.translations = Some((path.clone(), text));
    }
    let missing = missing_keys(locale);
    let Some((file, _)) = &locale.translations else {
        // No catalogue at all: one warning, not one per string.
        if !missing.is_empty() {
            diags
                .warning(
                    site,
                    Pos::START,
                    format!("isms-site has no {tag} catalogue: the pages are in English"),
                )
                .hint(format!(
                    "copy isms-site's en.ftl to translations/{tag}.ftl in the content folder and translate it (see docs/user-guide.md, Language and dates)"
                ));
        }
        return;
    };
    for key in missing {
        diags
            .warning(
                file,
                Pos::START,
                format!("no {tag} translation of `{key}`: the page shows the English"),
            )
            .hint(format!("add `{key} = …` to this file"));
    }
}

/// The Fluent parser's complaints about a team's file, at their line and
/// column.
fn report_syntax(path: &std::path::Path, text: &str, diags: &mut Diagnostics) {
    let Err((_, errors)) = FluentResource::try_new(text.to_string()) else {
        return;
    };
    for e in errors {
        diags
            .error(path, pos_of(text, e.pos.start), format!("translation syntax: {}", e.kind))
            .hint("each string is `key = text`; continued lines are indented; see https://projectfluent.org/fluent/guide/");
    }
}

/// The line and column of byte `offset` in `text`.
fn pos_of(text: &str, offset: usize) -> Pos {
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = &text[..end];
    let line = before.matches('\n').count() as u32 + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
    Pos { line, column }
}

/// The message keys of a catalogue, in file order.
pub fn keys(source: &str) -> Vec<String> {
    let res = parse(source);
    res.entries()
        .filter_map(|e| match e {
            fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
            _ => None,
        })
        .collect()
}

/// English keys that neither the language's built-in catalogue nor the
/// team's file translates (none for English itself).
fn missing_keys(locale: &Locale) -> Vec<String> {
    let tag = locale.language.as_deref().unwrap_or("en");
    let Some(lang) = parse_tag(tag) else {
        return Vec::new();
    };
    if lang.language.as_str() == "en" {
        return Vec::new();
    }
    let mut have: std::collections::HashSet<String> = builtin_for(&lang)
        .map(|src| keys(src).into_iter().collect())
        .unwrap_or_default();
    if let Some((_, text)) = &locale.translations {
        have.extend(keys(text));
    }
    keys(english_source())
        .into_iter()
        .filter(|k| !have.contains(k))
        .collect()
}

fn parse_tag(tag: &str) -> Option<LanguageIdentifier> {
    tag.parse().ok()
}

/// The built-in catalogue of `lang`'s language (`de-CH` → `de`).
fn builtin_for(lang: &LanguageIdentifier) -> Option<&'static str> {
    BUILTIN
        .iter()
        .find(|(t, _)| *t == lang.language.as_str())
        .map(|(_, src)| *src)
}

/// A catalogue, with what did not parse left out (reported by [`attach`]).
fn parse(source: &str) -> FluentResource {
    FluentResource::try_new(source.to_string()).unwrap_or_else(|(res, _)| res)
}

type Bundle = FluentBundle<FluentResource>;

fn bundle(lang: LanguageIdentifier, sources: &[&str]) -> Bundle {
    let mut b = FluentBundle::new_concurrent(vec![lang]);
    // Pages are HTML with their own `lang` and `dir`: no Unicode isolation
    // marks around arguments.
    b.set_use_isolating(false);
    for src in sources {
        b.add_resource_overriding(parse(src));
    }
    b
}

/// The strings and formats of one site's language.
pub struct Catalogue {
    tag: String,
    primary: Bundle,
    english: Bundle,
    long_dates: bool,
    decimal: String,
    /// Every string without arguments, formatted once: labels are looked
    /// up for each row of every table.
    simple: rustc_hash::FxHashMap<String, &'static str>,
}

/// `text` as a `&'static str`, leaked once per distinct text. Labels are
/// `&'static str` throughout the page views (they were English constants);
/// interning keeps them so, and the memory is bounded by the distinct
/// strings of the catalogues a process ever loads (the built-in ones and
/// each version of a team's file the live preview sees).
fn intern(text: String) -> &'static str {
    static SEEN: Mutex<Option<HashSet<&'static str>>> = Mutex::new(None);
    let mut seen = SEEN.lock().unwrap_or_else(|e| e.into_inner());
    let set = seen.get_or_insert_with(HashSet::new);
    if let Some(s) = set.get(text.as_str()) {
        return s;
    }
    let s: &'static str = Box::leak(text.into_boxed_str());
    set.insert(s);
    s
}

impl Catalogue {
    pub fn new(locale: &Locale) -> Catalogue {
        let tag = locale.language.clone().unwrap_or_else(|| "en".into());
        let lang = parse_tag(&tag).unwrap_or_default();
        let en: LanguageIdentifier = "en".parse().unwrap_or_default();
        let mut sources: Vec<&str> = Vec::new();
        if let Some(src) = builtin_for(&lang) {
            sources.push(src);
        }
        if let Some((_, text)) = &locale.translations {
            sources.push(text);
        }
        let mut c = Catalogue {
            tag,
            primary: bundle(lang, &sources),
            english: bundle(en, &[english_source()]),
            long_dates: locale.long_dates,
            decimal: String::new(),
            simple: Default::default(),
        };
        let mut all = keys(english_source());
        for src in &sources {
            all.extend(keys(src));
        }
        let simple = all
            .into_iter()
            .map(|k| {
                let text = intern(c.format(&k, None));
                (k, text)
            })
            .collect();
        c.simple = simple;
        c.decimal = c.t("number-decimal-separator").to_string();
        c
    }

    /// English, ISO dates: what a register without `language:` shows.
    pub fn english() -> Catalogue {
        Catalogue::new(&Locale::default())
    }

    /// The BCP 47 tag for `<html lang>`.
    pub fn tag(&self) -> &str {
        &self.tag
    }

    /// The string `key` (without arguments); the key itself when no
    /// catalogue has it, visible on the page instead of failing the build.
    pub fn t(&self, key: &str) -> &'static str {
        match self.simple.get(key) {
            Some(s) => s,
            None => intern(key.to_string()),
        }
    }

    /// The string `key` with its arguments (`$count` picks the plural form).
    pub fn t_args(&self, key: &str, args: &[(&str, FluentValue)]) -> String {
        let mut a = FluentArgs::new();
        for (k, v) in args {
            a.set(k.to_string(), v.clone());
        }
        self.format(key, Some(&a))
    }

    fn format(&self, key: &str, args: Option<&FluentArgs>) -> String {
        for b in [&self.primary, &self.english] {
            if let Some(pattern) = b.get_message(key).and_then(|m| m.value()) {
                let mut errors = Vec::new();
                return b.format_pattern(pattern, args, &mut errors).into_owned();
            }
        }
        // A theme asking for a key no catalogue has: visible, not fatal.
        key.to_string()
    }

    /// The displayed name of an enumeration value: `status-in-progress`.
    pub fn label<E: Enumerated>(&self, v: E) -> &'static str {
        // One allocation: labels are looked up for every row of every list.
        let (kind, slug) = (E::KIND, v.slug());
        let mut key = String::with_capacity(2 * kind.len() + 1 + slug.len());
        push_kebab(&mut key, kind);
        key.push('-');
        key.push_str(slug);
        self.t(&key)
    }

    /// The strings the built-in scripts show (keys `js-…`), as a JSON
    /// object.
    pub fn script_messages(&self) -> String {
        let map: std::collections::BTreeMap<String, &str> = keys(english_source())
            .into_iter()
            .filter(|k| k.starts_with("js-"))
            .map(|k| {
                let v = self.t(&k);
                (k, v)
            })
            .collect();
        serde_json::to_string(&map).unwrap_or_default()
    }

    /// The name of a value that is not written in YAML (a finding's
    /// state, a decision's): `finding-state` + `awaiting-verification`.
    pub fn keyed(&self, prefix: &str, slug: &str) -> &'static str {
        self.t(&format!("{prefix}-{slug}"))
    }

    /// A date as the site shows it: ISO 8601, or in words with
    /// `date_format: long`.
    pub fn date(&self, d: NaiveDate) -> String {
        if !self.long_dates {
            return d.format("%Y-%m-%d").to_string();
        }
        let month = self.t(&format!("month-long-{}", d.month()));
        self.t_args(
            "date-long",
            &[
                ("day", FluentValue::from(d.day().to_string())),
                ("month", FluentValue::from(month)),
                ("year", FluentValue::from(d.year().to_string())),
            ],
        )
    }

    /// [`Catalogue::date`] of an ISO date string; anything else unchanged.
    pub fn date_text<'a>(&self, s: &'a str) -> Cow<'a, str> {
        // ISO dates are shown as they are: no need to read them (every
        // date on every page passes here).
        if !self.long_dates {
            return Cow::Borrowed(s);
        }
        match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            Ok(d) if self.long_dates => Cow::Owned(self.date(d)),
            _ => Cow::Borrowed(s),
        }
    }

    /// A month as a chart's axis shows it: "Dec 2026", "déc. 2026".
    pub fn month_year(&self, d: NaiveDate) -> String {
        let month = self.t(&format!("month-short-{}", d.month()));
        self.t_args(
            "date-month-year",
            &[
                ("month", FluentValue::from(month)),
                ("year", FluentValue::from(d.year().to_string())),
            ],
        )
    }

    /// A date on a chart's axis: "Dec 2026", or "05 Dec 2026" when the
    /// chart spans less than about half a year.
    pub fn chart_date(&self, d: NaiveDate, with_day: bool) -> String {
        if !with_day {
            return self.month_year(d);
        }
        let month = self.t(&format!("month-short-{}", d.month()));
        self.t_args(
            "date-day-month-year",
            &[
                ("day", FluentValue::from(format!("{:02}", d.day()))),
                ("month", FluentValue::from(month)),
                ("year", FluentValue::from(d.year().to_string())),
            ],
        )
    }

    /// A month on a bar chart's axis: "Mar 25".
    pub fn month_short_year(&self, d: NaiveDate) -> String {
        let month = self.t(&format!("month-short-{}", d.month()));
        self.t_args(
            "date-month-short-year",
            &[
                ("month", FluentValue::from(month)),
                ("year", FluentValue::from(format!("{:02}", d.year() % 100))),
            ],
        )
    }

    /// A number written the language's way: a decimal comma in German,
    /// French and Spanish.
    pub fn number(&self, text: &str) -> String {
        if self.decimal == "." {
            return text.to_string();
        }
        text.replacen('.', &self.decimal, 1)
    }
}

/// `EntryType` → `entry-type`, onto `out`.
fn push_kebab(out: &mut String, camel: &str) {
    for (i, c) in camel.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('-');
        }
        out.push(c.to_ascii_lowercase());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Status, diag::ProblemKind as Severity};

    fn locale(tag: &str) -> Locale {
        Locale {
            language: Some(tag.into()),
            ..Locale::default()
        }
    }

    #[test]
    fn every_builtin_catalogue_has_every_english_key_and_no_other() {
        let english = keys(english_source());
        for (tag, src) in BUILTIN {
            assert!(
                FluentResource::try_new(src.to_string()).is_ok(),
                "{tag}.ftl does not parse"
            );
            let have = keys(src);
            let missing: Vec<_> = english.iter().filter(|k| !have.contains(k)).collect();
            let extra: Vec<_> = have.iter().filter(|k| !english.contains(k)).collect();
            assert!(missing.is_empty(), "{tag}.ftl lacks {missing:?}");
            assert!(
                extra.is_empty(),
                "{tag}.ftl has keys English lacks: {extra:?}"
            );
        }
    }

    #[test]
    fn labels_dates_and_numbers_follow_the_language() {
        let de = Catalogue::new(&Locale {
            long_dates: true,
            ..locale("de")
        });
        assert_eq!(de.label(Status::InProgress), "In Bearbeitung");
        let d = NaiveDate::from_ymd_opt(2026, 12, 5).unwrap();
        assert_eq!(de.date(d), "5. Dezember 2026");
        assert_eq!(de.number("2.5"), "2,5");
        let long = |tag: &str| {
            Catalogue::new(&Locale {
                long_dates: true,
                ..locale(tag)
            })
            .date(d)
        };
        assert_eq!(long("fr"), "5 décembre 2026");
        assert_eq!(long("es"), "5 de diciembre de 2026");
        assert_eq!(long("ja"), "2026年12月5日");
        assert_eq!(long("en"), "5 December 2026");
        let en = Catalogue::english();
        assert_eq!(en.date(d), "2026-12-05");
        assert_eq!(en.number("2.5"), "2.5");
        assert_eq!(en.label(Status::InProgress), "In progress");
        assert_eq!(Catalogue::new(&locale("ja")).month_year(d), "2026年12月");
        assert_eq!(Catalogue::new(&locale("fr")).month_year(d), "déc. 2026");
    }

    #[test]
    fn plurals_follow_cldr() {
        let n = |tag: &str, count: i64| {
            Catalogue::new(&locale(tag)).t_args("days-ago", &[("count", count.into())])
        };
        assert_eq!(n("en", 1), "1 day ago");
        assert_eq!(n("en", 0), "0 days ago");
        assert_eq!(n("de", 1), "vor 1 Tag");
        assert_eq!(n("de", 2), "vor 2 Tagen");
        // French: 0 and 1 are both singular.
        assert_eq!(n("fr", 0), "il y a 0 jour");
        assert_eq!(n("fr", 2), "il y a 2 jours");
    }

    #[test]
    fn a_team_file_overrides_one_string_and_a_missing_one_is_named() {
        let text = "nav-register = Maßnahmenregister\n";
        let de = Catalogue::new(&Locale {
            translations: Some(("de.ftl".into(), text.into())),
            ..locale("de")
        });
        assert_eq!(de.t("nav-register"), "Maßnahmenregister");
        assert_eq!(de.t("nav-plans"), "Pläne");

        // Italian is not built in: every key but the one given is missing.
        let mut it = locale("it");
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("it.ftl");
        std::fs::write(&file, "nav-plans = Piani\n").unwrap();
        let mut diags = Diagnostics::default();
        let folder = crate::content::Folder::new(dir.path());
        attach(
            &mut it,
            &[file],
            Path::new("site.yaml"),
            &folder,
            &mut diags,
        );
        let warnings: Vec<String> = diags
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .map(|d| d.message.clone())
            .collect();
        assert!(warnings.iter().any(|m| m.contains("`nav-register`")));
        assert!(!warnings.iter().any(|m| m.contains("`nav-plans`")));
        let it = Catalogue::new(&it);
        assert_eq!(it.t("nav-plans"), "Piani");
        assert_eq!(it.t("nav-register"), "Register");
    }

    #[test]
    fn a_syntax_error_is_reported_at_its_line() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("de.ftl");
        std::fs::write(&file, "nav-plans = Pläne\n= oops\n").unwrap();
        let mut diags = Diagnostics::default();
        attach(
            &mut locale("de"),
            &[file],
            Path::new("site.yaml"),
            &crate::content::Folder::new(dir.path()),
            &mut diags,
        );
        let e = diags
            .iter()
            .find(|d| d.severity == Severity::Error)
            .expect("a syntax error");
        assert_eq!(e.pos.line, 2);
    }
}
