//! Layer 4: everything written — the sink ([`sink::Out`]), pages, charts,
//! search, calendars, feeds and exports — from the computed register.

pub mod calendar;
pub mod chart;
pub mod export;
pub mod feed;
pub mod group;
pub mod ids;
pub mod integrity;
pub mod localize;
pub mod markdown;
pub mod markup;
pub mod oscal;
pub mod pack;
pub mod pages;
pub mod pieces;
pub mod schemas;
pub mod search;
pub mod search_memo;
pub mod sink;
pub mod terms;
pub mod theme;
pub mod timing;
pub mod urls;

use crate::compute::rollup::{EntryFacts, Rollups};
use crate::model::Register;
use pages::RenderContext;
use sink::{Out, RenderError};
use theme::Theme;

/// What every output reads, shared read-only while they run in parallel.
pub struct Inputs<'a> {
    pub register: &'a Register,
    pub facts: &'a [EntryFacts],
    pub rollups: &'a Rollups,
    /// The pages' views, made once (the search index and calendars reuse
    /// them).
    pub context: &'a RenderContext<'a>,
    pub theme: &'a Theme,
    /// The exports' per-entry pieces: the last build's to copy, and this
    /// render's record of them.
    pub pieces: &'a pieces::Pieces,
    /// The search terms of an earlier render's pages, and this one's
    /// once the index is made ([`search_memo`]).
    pub search: &'a std::sync::Mutex<search_memo::SearchMemo>,
}

impl Inputs<'_> {
    /// Entry `i`'s key in `file` ([`pieces::Pieces::key`]); `None` when
    /// this render has no digest of it (then its piece is made, not kept).
    pub fn piece_key(&self, file: &str, i: usize) -> Option<pieces::Key> {
        let digest = self.context.entry_digest(i)?;
        let facts = self.context.facts_digest(i);
        self.pieces.key(file, digest, &facts)
    }
}

/// One kind of file (or set of files) the site is made of. A new export is
/// a type implementing this in its own file, plus one line in [`all`].
pub trait Output: Sync {
    /// For timings and messages.
    fn name(&self) -> &'static str;
    /// Whether the live preview shows it; a preview may skip the rest.
    fn needed_for_preview(&self) -> bool {
        true
    }
    /// Whether it reads the entries' rendered HTML (the pages alone do),
    /// which a build lets go of once they are written.
    fn reads_entry_html(&self) -> bool {
        false
    }
    /// Written once every other output is done, because it lists what they
    /// wrote (the sitemap).
    fn after_the_others(&self) -> bool {
        false
    }
    /// Keeps every core busy by itself (the pages, the search terms), so
    /// it runs alone: beside the others it would only add their working
    /// sets to its own.
    fn parallel_inside(&self) -> bool {
        false
    }
    /// Writes its files into `out`; returns how many.
    fn write(&self, inputs: &Inputs, out: &Out) -> Result<usize, RenderError>;
}

/// Everything a build writes, in one place; the pages first, which a
/// live preview waits for. Those side by side start in this order, so the
/// longest come first: started last, the POA&M ran on alone for 130 ms
/// of a one-entry rebuild at 10,000 entries, and `register.csv`, started
/// after the review input and the calendars, for 170 ms of a cold build
/// (issue 27). In a one-entry rebuild the two exports copy their pieces
/// and take a quarter of that, so this order ends as early there.
pub fn all() -> &'static [&'static dyn Output] {
    &[
        &pages::Pages,
        &search::SearchIndex,
        &oscal::PoamFile,
        &export::Json,
        &export::Csv,
        &pages::review_input::ReviewInput,
        &calendar::Calendars,
        &search::RegisterRows,
        &schemas::Schemas,
        &feed::Feed,
        &feed::Sitemap,
    ]
}

/// Which outputs a run writes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Selection {
    /// Every output: `build`, and `serve`, which also publishes the site.
    All,
    /// Only what a preview shows.
    Preview,
    /// What [`Selection::Preview`] leaves out: the live preview writes it
    /// once the pages are served.
    Rest,
    /// The outputs that read the entries' rendered HTML (the pages).
    Pages,
    /// What [`Selection::Pages`] leaves out: a build writes it once it has
    /// let go of that HTML.
    AfterPages,
}

impl Selection {
    fn takes(self, o: &dyn Output) -> bool {
        match self {
            Selection::All => true,
            Selection::Preview => o.needed_for_preview(),
            Selection::Rest => !o.needed_for_preview(),
            Selection::Pages => o.reads_entry_html(),
            Selection::AfterPages => !o.reads_entry_html(),
        }
    }
}

/// Writes the selected outputs: those [parallel inside](Output::parallel_inside)
/// one after another (except in a preview), then the rest side by side
/// (each uses one core), then
/// those that list the others' files; returns how many files were written.
/// All side by side, the pages' and the search index's working sets added
/// up with the exports' (35 MB more at 10,000 entries); all one after
/// another, the single-threaded exports left a core idle (15 % longer).
pub fn write_all(inputs: &Inputs, out: &Out, which: Selection) -> Result<usize, RenderError> {
    let written = write_unless(inputs, out, which, &mut || false)?;
    // Never stopped: nothing asks to.
    Ok(written.unwrap_or_default())
}

/// As [`write_all`], asking `stop` before each step (each output run
/// alone, the outputs side by side, the last ones): `None` when it said
/// yes and the rest was left unwritten. The live preview stops its exports
/// for a newer save, which would otherwise wait for them (seconds at
/// 10,000 entries). `None` too when `out` was halted in a step
/// ([`Out::halt_when`]): the write that failed for it is no error.
pub fn write_unless(
    inputs: &Inputs,
    out: &Out,
    which: Selection,
    stop: &mut dyn FnMut() -> bool,
) -> Result<Option<usize>, RenderError> {
    match write_steps(inputs, out, which, stop) {
        Err(_) if out.halted() => Ok(None),
        written => written,
    }
}

fn write_steps(
    inputs: &Inputs,
    out: &Out,
    which: Selection,
    stop: &mut dyn FnMut() -> bool,
) -> Result<Option<usize>, RenderError> {
    let chosen: Vec<&dyn Output> = all().iter().copied().filter(|o| which.takes(*o)).collect();
    let (last, first): (Vec<&dyn Output>, Vec<&dyn Output>) =
        chosen.into_iter().partition(|o| o.after_the_others());
    // A live preview waits for the slowest of its outputs, not their sum.
    let (alone, beside): (Vec<&dyn Output>, Vec<&dyn Output>) = first
        .into_iter()
        .partition(|o| o.parallel_inside() && which != Selection::Preview);
    let run = |o: &&dyn Output| {
        let _t = timing::phase(o.name());
        o.write(inputs, out)
    };
    let mut written = 0;
    for o in &alone {
        if stop() {
            return Ok(None);
        }
        written += run(o)?;
    }
    if stop() {
        return Ok(None);
    }
    written += in_order(&beside, run)?;
    if stop() {
        return Ok(None);
    }
    written += last.iter().map(run).sum::<Result<usize, _>>()?;
    Ok(Some(written))
}

/// Runs `run` on each of `steps` (outputs, or the pages' steps) side by
/// side, each started in their order (a queue, first in first out:
/// rayon's halving would run the first half on one core and the second
/// on the other, however long each takes), and adds up how many files
/// they wrote; the first failure in their order is the one returned,
/// whichever failed first.
pub(crate) fn in_order<T: Sync>(
    steps: &[T],
    run: impl Fn(&T) -> Result<usize, RenderError> + Sync,
) -> Result<usize, RenderError> {
    let results: Vec<std::sync::Mutex<Option<Result<usize, RenderError>>>> =
        steps.iter().map(|_| Default::default()).collect();
    rayon::scope_fifo(|s| {
        for (o, slot) in steps.iter().zip(&results) {
            let run = &run;
            s.spawn_fifo(move |_| {
                let result = run(o);
                *slot.lock().unwrap_or_else(|e| e.into_inner()) = Some(result);
            });
        }
    });
    let mut written = 0;
    for slot in results {
        let result = slot.into_inner().unwrap_or_else(|e| e.into_inner());
        written += result.unwrap_or(Ok(0))?;
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An output that is only a name, for [`in_order`]'s test.
    struct Named(&'static str);

    impl Output for Named {
        fn name(&self) -> &'static str {
            self.0
        }
        fn write(&self, _: &Inputs, _: &Out) -> Result<usize, RenderError> {
            unreachable!("in_order runs the closure it is given")
        }
    }

    /// Outputs side by side each start in their order, and of two that
    /// fail the first in that order is reported, though the second failed
    /// first: "first" waits until "second" has failed.
    #[test]
    fn of_outputs_side_by_side_the_first_failure_in_order_is_returned() {
        let outputs: [&dyn Output; 3] = [&Named("first"), &Named("second"), &Named("third")];
        let (failed, wait) = std::sync::mpsc::channel::<()>();
        let wait = std::sync::Mutex::new(wait);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        let result = pool.install(|| {
            in_order(&outputs, |o| match o.name() {
                "first" => {
                    let _ = wait.lock().unwrap().recv();
                    Err(RenderError("first".into()))
                }
                "second" => {
                    let _ = failed.send(());
                    Err(RenderError("second".into()))
                }
                _ => Ok(5),
            })
        });
        assert_eq!(result.map_err(|e| e.0), Err("first".to_string()));
        let fine = pool.install(|| in_order(&outputs, |_| Ok(2)));
        assert_eq!(fine.map_err(|e| e.0), Ok(6));
    }

    /// A live preview serves the pages and the register's rows (the
    /// register page shows a save at once) and leaves the search index
    /// with the exports, for after the pages are served.
    #[test]
    fn a_preview_takes_the_register_rows_and_leaves_the_search_index() {
        let preview: Vec<&str> = all()
            .iter()
            .filter(|o| Selection::Preview.takes(**o))
            .map(|o| o.name())
            .collect();
        assert!(preview.contains(&"register rows"), "{preview:?}");
        assert!(!preview.contains(&"search index"), "{preview:?}");
        let rest: Vec<&str> = all()
            .iter()
            .filter(|o| Selection::Rest.takes(**o))
            .map(|o| o.name())
            .collect();
        assert!(rest.contains(&"search index"), "{rest:?}");
    }
}
