//! Grouping similar messages without comparing every pair: candidates come from an inverted
//! index over each message's heaviest terms ([`HotConfig::probe_terms`]) that are rare
//! enough to mean something (a shared estate, a shared unusual word); only they are
//! compared exactly. Pairs above the threshold are then merged
//! most-similar first, and two groups join only while their centroids stay similar, so one
//! loose pair cannot chain unrelated messages together.

use std::collections::HashSet;

use rayon::prelude::*;

use super::HotConfig;
use super::features::{Doc, dot};

/// Similarity of two messages from the cosine of their vectors: lowered when they clearly
/// name different places (different sites, or different districts) and raised a little
/// when they name the same site.
fn similarity(cosine: f32, a: &Doc, b: &Doc, config: &HotConfig) -> f32 {
    let mut sim = cosine;
    if !a.sites.is_empty() && !b.sites.is_empty() {
        if same_site(a, b) {
            sim += config.same_site_bonus;
        } else {
            sim *= config.other_place_factor;
        }
    }
    if let (Some(x), Some(y)) = (&a.district, &b.district)
        && x != y
    {
        sim *= config.other_place_factor;
    }
    sim
}

/// Do `a` and `b` name the same site, written alike or one name inside the other?
pub(crate) fn same_site(a: &Doc, b: &Doc) -> bool {
    a.sites
        .iter()
        .any(|s| b.sites.contains(s) || b.within.contains(s))
        || a.within.iter().any(|s| b.sites.contains(s))
}

/// Candidate pairs `(i, j, similarity)` with `i < j`, similarity at least the threshold and
/// times no further apart than the window.
pub(crate) fn similar_pairs(
    docs: &[Doc],
    vocab_len: usize,
    config: &HotConfig,
) -> Vec<(u32, u32, f32)> {
    let n = docs.len();
    let mut postings: Vec<Vec<(u32, f32)>> = vec![Vec::new(); vocab_len];
    for (i, doc) in docs.iter().enumerate() {
        for &(term, w) in &doc.probes {
            postings[term as usize].push((i as u32, w));
        }
    }
    // Terms shared by very many messages say little and would cost the most: they still
    // count in the exact similarity, they only do not propose candidates.
    let cap = config
        .min_posting_cap
        .max(n / config.posting_cap_divisor.max(1));
    let window = config.window_days * 86_400;
    let times: Vec<i64> = docs.iter().map(|d| d.time).collect();
    let threshold = config.threshold;
    docs.par_iter()
        .enumerate()
        .map_init(
            || (vec![0f32; n], Vec::<u32>::new(), vec![0f32; vocab_len]),
            |(acc, touched, dense), (i, doc)| {
                for &(term, w) in &doc.probes {
                    let list = &postings[term as usize];
                    if list.len() > cap {
                        continue;
                    }
                    let from = list.partition_point(|&(j, _)| j as usize <= i);
                    for &(j, wj) in &list[from..] {
                        let ju = j as usize;
                        if (times[ju] - doc.time).abs() > window {
                            continue;
                        }
                        if acc[ju] == 0.0 {
                            touched.push(j);
                        }
                        acc[ju] += w * wj;
                    }
                }
                // `doc` spread over the vocabulary: each exact cosine is then one pass over
                // the other vector, without the branches of a merge (same sum, same order).
                for &(term, w) in &doc.terms {
                    dense[term as usize] = w;
                }
                let mut out = Vec::new();
                for &j in touched.iter() {
                    let ju = j as usize;
                    if acc[ju] >= threshold * config.candidate_fraction {
                        let other = &docs[ju];
                        let cosine = other
                            .terms
                            .iter()
                            .fold(0.0, |sum, &(t, w)| sum + dense[t as usize] * w);
                        let sim = similarity(cosine, doc, other, config);
                        let needed = if doc.user == docs[ju].user {
                            threshold + config.same_user_margin
                        } else {
                            threshold
                        };
                        if sim >= needed {
                            out.push((i as u32, j, sim));
                        }
                    }
                    acc[ju] = 0.0;
                }
                touched.clear();
                for &(term, _) in &doc.terms {
                    dense[term as usize] = 0.0;
                }
                out
            },
        )
        .flatten_iter()
        .collect()
}

/// Groups `docs` from their similar pairs. Returns the groups (indexes into `docs`) with
/// at least `min_members` members.
pub(crate) fn group(
    docs: &[Doc],
    mut pairs: Vec<(u32, u32, f32)>,
    config: &HotConfig,
) -> Vec<Vec<usize>> {
    pairs.sort_unstable_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)).then(a.1.cmp(&b.1)));
    let n = docs.len();
    let mut parent: Vec<u32> = (0..n as u32).collect();
    let mut centroid: Vec<Vec<(u32, f32)>> = Vec::with_capacity(n);
    let mut norm: Vec<f32> = Vec::with_capacity(n);
    for doc in docs {
        centroid.push(Vec::new());
        norm.push(doc.terms.iter().map(|t| t.1 * t.1).sum::<f32>().sqrt());
    }
    let mut size: Vec<u32> = vec![1; n];
    let mut refused: HashSet<(u32, u32)> = HashSet::new();
    let vector = |centroid: &Vec<Vec<(u32, f32)>>, r: usize| -> Vec<(u32, f32)> {
        if centroid[r].is_empty() {
            docs[r].terms.clone()
        } else {
            centroid[r].clone()
        }
    };
    for (i, j, _) in pairs {
        let (a, b) = (find(&mut parent, i), find(&mut parent, j));
        if a == b {
            continue;
        }
        let key = (a.min(b), a.max(b));
        if refused.contains(&key) {
            continue;
        }
        let (ra, rb) = (a as usize, b as usize);
        // Singletons join on their pair similarity; groups must agree on their centroids.
        if size[ra] > 1 || size[rb] > 1 {
            let (va, vb) = (vector(&centroid, ra), vector(&centroid, rb));
            let cos = dot(&va, &vb) / (norm[ra] * norm[rb]).max(f32::MIN_POSITIVE);
            if cos < config.centroid_threshold {
                refused.insert(key);
                continue;
            }
        }
        let merged = add(&vector(&centroid, ra), &vector(&centroid, rb));
        let (root, other) = if size[ra] >= size[rb] {
            (ra, rb)
        } else {
            (rb, ra)
        };
        parent[other] = root as u32;
        size[root] += size[other];
        norm[root] = merged.iter().map(|t| t.1 * t.1).sum::<f32>().sqrt();
        centroid[root] = merged;
        centroid[other] = Vec::new();
    }
    let mut members: std::collections::HashMap<u32, Vec<usize>> = std::collections::HashMap::new();
    for i in 0..n as u32 {
        let root = find(&mut parent, i);
        members.entry(root).or_default().push(i as usize);
    }
    let mut groups: Vec<Vec<usize>> = members
        .into_values()
        .filter(|m| m.len() >= config.min_members.max(1))
        .collect();
    groups.sort_unstable_by_key(|m| m[0]);
    groups
}

fn find(parent: &mut [u32], mut x: u32) -> u32 {
    while parent[x as usize] != x {
        let up = parent[parent[x as usize] as usize];
        parent[x as usize] = up;
        x = up;
    }
    x
}

/// Sum of two sparse vectors sorted by term.
pub(crate) fn add(a: &[(u32, f32)], b: &[(u32, f32)]) -> Vec<(u32, f32)> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if j == b.len() || (i < a.len() && a[i].0 < b[j].0) {
            out.push(a[i]);
            i += 1;
        } else if i == a.len() || b[j].0 < a[i].0 {
            out.push(b[j]);
            j += 1;
        } else {
            out.push((a[i].0, a[i].1 + b[j].1));
            i += 1;
            j += 1;
        }
    }
    out
}
