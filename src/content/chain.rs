//! The chain between entries (clause 10.2): `follows_up` and `related`
//! name register ids, and following `follows_up` must end somewhere.

use crate::model::diag::Diagnostics;
use crate::model::*;
use std::collections::{HashMap, HashSet};

/// Every `follows_up` and `related` id must name an entry. `declared` holds
/// every id written in register files, valid entry or not, so that an
/// invalid entry is reported once, not again at each reference.
pub(super) fn check_entry_refs(entries: &[Entry], declared: &[String], diags: &mut Diagnostics) {
    let ids: HashSet<String> = declared.iter().map(|id| id.to_lowercase()).collect();
    let known: Vec<&str> = declared.iter().map(String::as_str).collect();
    for e in entries {
        let named = [("follows_up", &e.follows_up), ("related", &e.related)];
        for (field, refs) in named {
            for r in refs.iter().filter(|r| !ids.contains(&r.id.to_lowercase())) {
                let hint = unknown_id_hint(&r.id, &known);
                diags
                    .error(
                        &e.origin.file,
                        r.pos,
                        format!("`{field}` names `{}`, which is not a register id", r.id),
                    )
                    .hint(hint);
            }
        }
    }
}

/// What to write instead of an id that names no entry: the nearest
/// declared id, if one is close.
pub(super) fn unknown_id_hint(id: &str, known: &[&str]) -> String {
    match super::nearest_id(id, known) {
        Some(near) => format!("did you mean `{near}`?"),
        None => "name an id from content/register/".to_string(),
    }
}

/// A `follows_up` chain that comes back to where it started has no
/// beginning: each cycle is reported once, at the entry of the cycle that
/// comes first in id order, naming every entry on it.
pub(super) fn check_follow_up_cycles(entries: &[Entry], diags: &mut Diagnostics) {
    let index: HashMap<String, usize> = entries
        .iter()
        .enumerate()
        .rev()
        .map(|(i, e)| (e.id.to_lowercase(), i))
        .collect();
    let next: Vec<Vec<usize>> = entries
        .iter()
        .map(|e| {
            e.follows_up
                .iter()
                .filter_map(|r| index.get(&r.id.to_lowercase()).copied())
                .collect()
        })
        .collect();
    let mut reported = HashSet::new();
    for cycle in cycles(&next) {
        let start = (0..cycle.len())
            .min_by(|a, b| natural_cmp(&entries[cycle[*a]].id, &entries[cycle[*b]].id))
            .unwrap_or(0);
        let mut ring: Vec<usize> = cycle[start..].to_vec();
        ring.extend_from_slice(&cycle[..start]);
        if !reported.insert(ring.clone()) {
            continue;
        }
        let first = &entries[ring[0]];
        let second = &entries[ring.get(1).copied().unwrap_or(ring[0])];
        let pos = first
            .follows_up
            .iter()
            .find(|r| r.id.eq_ignore_ascii_case(&second.id))
            .map_or(first.origin.pos, |r| r.pos);
        let names: Vec<&str> = ring
            .iter()
            .chain(std::iter::once(&ring[0]))
            .map(|i| entries[*i].id.as_str())
            .collect();
        diags
            .error(
                &first.origin.file,
                pos,
                format!("`follows_up` forms a cycle: {}", names.join(" → ")),
            )
            .hint("an entry follows up earlier ones only; remove one of these `follows_up` ids");
    }
}

/// Cycles of the graph `next` (edges by position), each as the nodes on it
/// in edge order; found by an iterative depth-first search, so a long
/// chain cannot exhaust the stack.
fn cycles(next: &[Vec<usize>]) -> Vec<Vec<usize>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        OnPath,
        Done,
    }
    let mut mark = vec![Mark::New; next.len()];
    let mut out = Vec::new();
    for root in 0..next.len() {
        if mark[root] != Mark::New {
            continue;
        }
        // (node, index of the next edge to follow)
        let mut path: Vec<(usize, usize)> = vec![(root, 0)];
        mark[root] = Mark::OnPath;
        while let Some(&mut (node, ref mut edge)) = path.last_mut() {
            let Some(&to) = next[node].get(*edge) else {
                mark[node] = Mark::Done;
                path.pop();
                continue;
            };
            *edge += 1;
            match mark[to] {
                Mark::New => {
                    mark[to] = Mark::OnPath;
                    path.push((to, 0));
                }
                Mark::OnPath => {
                    let from = path.iter().position(|(n, _)| *n == to).unwrap_or(0);
                    out.push(path[from..].iter().map(|(n, _)| *n).collect());
                }
                Mark::Done => {}
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::cycles;

    #[test]
    fn cycles_are_found_with_their_nodes_in_order() {
        assert!(cycles(&[vec![1], vec![2], vec![]]).is_empty());
        assert_eq!(cycles(&[vec![1], vec![2], vec![0]]), vec![vec![0, 1, 2]]);
        assert_eq!(cycles(&[vec![0]]), vec![vec![0]]);
        // A long chain does not recurse.
        let chain: Vec<Vec<usize>> = (0..100_000).map(|i| vec![i + 1]).chain([vec![]]).collect();
        assert!(cycles(&chain).is_empty());
    }
}
