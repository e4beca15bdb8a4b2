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

/// How many ids a cycle's message names before it only counts the rest:
/// a cycle of thousands of entries is still one short line.
const SHOWN_IDS: usize = 5;

/// A `follows_up` chain that comes back to where it started has no
/// beginning. Each knot of entries that follow one another up in loops (a
/// strongly connected component) is reported once, at its entry that
/// comes first in id order, with the shortest cycle through that entry:
/// its first few ids, a count of the rest, and how many entries the knot
/// holds when it is more than that cycle. Time and output stay linear in
/// the number of `follows_up` ids, however many cycles share entries.
pub(super) fn check_follow_up_cycles(entries: &[Entry], diags: &mut Diagnostics) {
    let next = follow_up_edges(entries);
    let knots = knots(&next);
    let mut member = vec![NONE; next.len()];
    for (k, knot) in knots.iter().enumerate() {
        knot.iter().for_each(|i| member[*i] = k);
    }
    let mut parent = vec![NONE; next.len()];
    for (k, knot) in knots.iter().enumerate() {
        let Some(&first) = knot
            .iter()
            .min_by(|a, b| natural_cmp(&entries[**a].id, &entries[**b].id))
        else {
            continue;
        };
        let ring = shortest_cycle(first, &next, |i| member[i] == k, &mut parent);
        report_cycle(entries, &ring, knot.len(), diags);
    }
}

/// The entries each entry follows up, by position: unknown ids left out
/// (reported elsewhere), an id named twice kept once.
fn follow_up_edges(entries: &[Entry]) -> Vec<Vec<usize>> {
    let index: HashMap<String, usize> = entries
        .iter()
        .enumerate()
        .rev()
        .map(|(i, e)| (e.id.to_lowercase(), i))
        .collect();
    let mut last_from = vec![NONE; entries.len()];
    entries
        .iter()
        .enumerate()
        .map(|(from, e)| {
            let mut out = Vec::new();
            for r in &e.follows_up {
                if let Some(&to) = index.get(&r.id.to_lowercase())
                    && last_from[to] != from
                {
                    last_from[to] = from;
                    out.push(to);
                }
            }
            out
        })
        .collect()
}

/// One error for a cycle (`ring`, in edge order, its last entry following
/// up its first) in a knot of `knot_size` entries.
fn report_cycle(entries: &[Entry], ring: &[usize], knot_size: usize, diags: &mut Diagnostics) {
    let first = &entries[ring[0]];
    let second = &entries[ring.get(1).copied().unwrap_or(ring[0])];
    let pos = first
        .follows_up
        .iter()
        .find(|r| r.id.eq_ignore_ascii_case(&second.id))
        .map_or(first.origin.pos, |r| r.pos);
    let mut names: Vec<String> = ring
        .iter()
        .take(SHOWN_IDS)
        .map(|i| entries[*i].id.clone())
        .collect();
    if ring.len() > SHOWN_IDS {
        names.push(format!("… and {} more", ring.len() - SHOWN_IDS));
    }
    names.push(first.id.clone());
    let mut message = format!("`follows_up` forms a cycle: {}", names.join(" → "));
    if knot_size > ring.len() {
        message.push_str(&format!(
            " (one of several: {knot_size} entries follow one another up in loops)"
        ));
    }
    diags
        .error(&first.origin.file, pos, message)
        .hint("an entry follows up earlier ones only; remove one of these `follows_up` ids");
}

/// No node (a mark in the position arrays below).
const NONE: usize = usize::MAX;

/// The strongly connected components of the graph `next` (edges by
/// position) that hold a cycle: more than one node, or a node with an
/// edge to itself. Tarjan's algorithm, iterative, so that a long chain
/// cannot exhaust the stack; linear in nodes and edges.
fn knots(next: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let mut t = Tarjan {
        order: vec![NONE; next.len()],
        low: vec![0; next.len()],
        on_stack: vec![false; next.len()],
        stack: Vec::new(),
        counter: 0,
        path: Vec::new(),
    };
    let mut out = Vec::new();
    for root in 0..next.len() {
        if t.order[root] != NONE {
            continue;
        }
        t.visit(root);
        while let Some(&mut (node, ref mut edge)) = t.path.last_mut() {
            if let Some(&to) = next[node].get(*edge) {
                *edge += 1;
                if t.order[to] == NONE {
                    t.visit(to);
                } else if t.on_stack[to] {
                    t.low[node] = t.low[node].min(t.order[to]);
                }
                continue;
            }
            t.path.pop();
            if let Some(&(parent, _)) = t.path.last() {
                t.low[parent] = t.low[parent].min(t.low[node]);
            }
            if t.low[node] == t.order[node] {
                let knot = t.close(node);
                if knot.len() > 1 || next[node].contains(&node) {
                    out.push(knot);
                }
            }
        }
    }
    out
}

/// The state of [`knots`]' depth-first search.
struct Tarjan {
    /// Visit order of each node, [`NONE`] before its visit.
    order: Vec<usize>,
    /// The lowest visit order reachable from the node's subtree.
    low: Vec<usize>,
    on_stack: Vec<bool>,
    stack: Vec<usize>,
    counter: usize,
    /// (node, index of the next edge to follow)
    path: Vec<(usize, usize)>,
}

impl Tarjan {
    fn visit(&mut self, node: usize) {
        self.order[node] = self.counter;
        self.low[node] = self.counter;
        self.counter += 1;
        self.stack.push(node);
        self.on_stack[node] = true;
        self.path.push((node, 0));
    }

    /// Pops the component whose first visited node is `root`.
    fn close(&mut self, root: usize) -> Vec<usize> {
        let mut knot = Vec::new();
        while let Some(m) = self.stack.pop() {
            self.on_stack[m] = false;
            knot.push(m);
            if m == root {
                break;
            }
        }
        knot
    }
}

/// The shortest cycle through `first` among the nodes `inside` accepts
/// (its knot), in edge order from `first`, by breadth-first search.
/// `parent` is scratch space, [`NONE`] for every node of the knot: each
/// node belongs to one knot, so searches of different knots never meet.
fn shortest_cycle(
    first: usize,
    next: &[Vec<usize>],
    inside: impl Fn(usize) -> bool,
    parent: &mut [usize],
) -> Vec<usize> {
    let mut queue = std::collections::VecDeque::from([first]);
    parent[first] = first;
    while let Some(node) = queue.pop_front() {
        for &to in &next[node] {
            if to == first {
                let mut ring = vec![node];
                let mut at = node;
                while at != first {
                    at = parent[at];
                    ring.push(at);
                }
                ring.reverse();
                return ring;
            }
            if inside(to) && parent[to] == NONE {
                parent[to] = node;
                queue.push_back(to);
            }
        }
    }
    vec![first]
}

#[cfg(test)]
mod tests {
    use super::{NONE, knots, shortest_cycle};

    fn cycle_of(next: &[Vec<usize>], first: usize) -> Vec<usize> {
        let knots = knots(next);
        let knot = knots.iter().find(|k| k.contains(&first)).unwrap();
        let mut parent = vec![NONE; next.len()];
        shortest_cycle(first, next, |i| knot.contains(&i), &mut parent)
    }

    #[test]
    fn knots_are_found_once_with_their_shortest_cycle() {
        assert!(knots(&[vec![1], vec![2], vec![]]).is_empty());
        assert_eq!(knots(&[vec![1], vec![2], vec![0]]).len(), 1);
        assert_eq!(cycle_of(&[vec![1], vec![2], vec![0]], 0), vec![0, 1, 2]);
        assert_eq!(cycle_of(&[vec![0]], 0), vec![0]);
        // Two loops through 0: one knot, and the shorter loop.
        let two = [vec![1, 3], vec![2], vec![0], vec![0]];
        assert_eq!(knots(&two).len(), 1);
        assert_eq!(cycle_of(&two, 0), vec![0, 3]);
        // Two separate loops: two knots.
        assert_eq!(knots(&[vec![1], vec![0], vec![3], vec![2]]).len(), 2);
        // A long chain does not recurse.
        let chain: Vec<Vec<usize>> = (0..100_000).map(|i| vec![i + 1]).chain([vec![]]).collect();
        assert!(knots(&chain).is_empty());
        // A long ring with every node also back to 0 (n² cycles) is one knot.
        let n = 100_000;
        let ring: Vec<Vec<usize>> = (0..n)
            .map(|i| {
                if i == 0 {
                    vec![1]
                } else {
                    vec![(i + 1) % n, 0]
                }
            })
            .collect();
        assert_eq!(knots(&ring).len(), 1);
        assert_eq!(cycle_of(&ring, 0), vec![0, 1]);
    }
}
