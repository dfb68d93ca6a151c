//! The in-memory index of every point (点位索引): a uniform grid over the points' bounding
//! box, a few points to a cell, searched ring by ring outwards from the query's cell until
//! no unseen cell can hold anything nearer than the k-th best found. Cells are laid out in
//! a plane whose east-west scale is the one at the box's latitude farthest from the
//! equator, so a distance in the plane never exceeds the great-circle one: the plane
//! bounds the search, the great-circle distance ranks.

use jiesu_domain::point::{Coord, Point};

/// Points per grid cell the index aims at.
const PER_CELL: usize = 4;
/// Metres per degree of latitude.
const M_PER_DEG: f64 = 111_195.0;

/// A point found near a place, and how far it is (metres).
#[derive(Debug, Clone)]
pub struct Nearby {
    pub point: Point,
    pub distance_m: f64,
}

pub struct PointIndex {
    points: Vec<Point>,
    /// Projected positions (metres east and north of the box's south-west corner).
    xy: Vec<(f64, f64)>,
    /// Point indexes per cell, row by row.
    cells: Vec<Vec<u32>>,
    cols: usize,
    rows: usize,
    cell_m: f64,
    origin: Coord,
    /// Metres per degree of longitude at the box's latitude farthest from the equator.
    m_per_lon: f64,
}

impl PointIndex {
    pub fn new(points: Vec<Point>) -> PointIndex {
        let (mut min_lon, mut min_lat, mut max_lon, mut max_lat) = (180.0, 90.0, -180.0, -90.0);
        for p in &points {
            min_lon = f64::min(min_lon, p.draft.lon);
            max_lon = f64::max(max_lon, p.draft.lon);
            min_lat = f64::min(min_lat, p.draft.lat);
            max_lat = f64::max(max_lat, p.draft.lat);
        }
        if points.is_empty() {
            (min_lon, min_lat, max_lon, max_lat) = (0.0, 0.0, 0.0, 0.0);
        }
        let polar = f64::max(min_lat.abs(), max_lat.abs());
        let m_per_lon = M_PER_DEG * polar.to_radians().cos().max(0.01);
        let origin = Coord {
            lon: min_lon,
            lat: min_lat,
        };
        let width = ((max_lon - min_lon) * m_per_lon).max(1.0);
        let height = ((max_lat - min_lat) * M_PER_DEG).max(1.0);
        let cells_wanted = (points.len() / PER_CELL).max(1) as f64;
        let cell_m = (width * height / cells_wanted).sqrt().max(1.0);
        let cols = ((width / cell_m).ceil() as usize).clamp(1, 4096);
        let rows = ((height / cell_m).ceil() as usize).clamp(1, 4096);
        let mut index = PointIndex {
            points: Vec::new(),
            xy: Vec::with_capacity(points.len()),
            cells: vec![Vec::new(); cols * rows],
            cols,
            rows,
            cell_m,
            origin,
            m_per_lon,
        };
        for (i, p) in points.iter().enumerate() {
            let xy = index.project(p.draft.coord());
            let (c, r) = index.cell_of(xy);
            index.cells[r * cols + c].push(i as u32);
            index.xy.push(xy);
        }
        index.points = points;
        index
    }

    pub fn len(&self) -> usize {
        self.points.len()
    }

    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    pub fn points(&self) -> &[Point] {
        &self.points
    }

    fn project(&self, c: Coord) -> (f64, f64) {
        (
            (c.lon - self.origin.lon) * self.m_per_lon,
            (c.lat - self.origin.lat) * M_PER_DEG,
        )
    }

    /// The cell holding `xy`, clamped to the grid.
    fn cell_of(&self, (x, y): (f64, f64)) -> (usize, usize) {
        let clamp = |v: f64, n: usize| ((v / self.cell_m).floor().max(0.0) as usize).min(n - 1);
        (clamp(x, self.cols), clamp(y, self.rows))
    }

    /// The `k` points nearest to `at` that `keep` accepts, nearest first.
    pub fn nearest(&self, at: Coord, k: usize, keep: impl Fn(&Point) -> bool) -> Vec<Nearby> {
        if k == 0 || self.points.is_empty() {
            return Vec::new();
        }
        let q = self.project(at);
        let (qc, qr) = self.cell_of(q);
        // The best k so far as (great-circle distance, index), sorted.
        let mut best: Vec<(f64, u32)> = Vec::with_capacity(k + 1);
        let max_ring = self.cols.max(self.rows);
        for ring in 0..=max_ring {
            // Every cell of this ring is at least this far from the query (in the plane):
            // the query may lie outside the grid, so measure from the ring's inner edge.
            if best.len() == k {
                let inner = self.ring_gap(q, qc, qr, ring);
                // A hair under the plane's bound, for rounding.
                if inner * 0.999 > best[k - 1].0 {
                    break;
                }
            }
            self.each_cell_of_ring(qc, qr, ring, |cell| {
                for &i in &self.cells[cell] {
                    let (x, y) = self.xy[i as usize];
                    let planar = ((x - q.0).powi(2) + (y - q.1).powi(2)).sqrt();
                    if best.len() == k && planar * 0.999 >= best[k - 1].0 {
                        continue;
                    }
                    let point = &self.points[i as usize];
                    if !keep(point) {
                        continue;
                    }
                    let d = at.distance_m(point.draft.coord());
                    let at_pos = best.partition_point(|(b, _)| *b <= d);
                    best.insert(at_pos, (d, i));
                    best.truncate(k);
                }
            });
        }
        best.into_iter()
            .map(|(distance_m, i)| Nearby {
                point: self.points[i as usize].clone(),
                distance_m,
            })
            .collect()
    }

    /// A lower bound of the planar distance from `q` to any cell of `ring` around
    /// (`qc`, `qr`).
    fn ring_gap(&self, q: (f64, f64), qc: usize, qr: usize, ring: usize) -> f64 {
        if ring == 0 {
            return 0.0;
        }
        let inner = ring - 1;
        // The square of cells within `inner` rings, in metres.
        let left = qc.saturating_sub(inner) as f64 * self.cell_m;
        let right = ((qc + inner + 1).min(self.cols)) as f64 * self.cell_m;
        let bottom = qr.saturating_sub(inner) as f64 * self.cell_m;
        let top = ((qr + inner + 1).min(self.rows)) as f64 * self.cell_m;
        let mut gap = f64::INFINITY;
        if qc >= inner {
            gap = gap.min(q.0 - left);
        }
        if qc + inner + 1 < self.cols {
            gap = gap.min(right - q.0);
        }
        if qr >= inner {
            gap = gap.min(q.1 - bottom);
        }
        if qr + inner + 1 < self.rows {
            gap = gap.min(top - q.1);
        }
        gap.max(0.0)
    }

    fn each_cell_of_ring(&self, qc: usize, qr: usize, ring: usize, mut f: impl FnMut(usize)) {
        let (c0, c1) = (qc as i64 - ring as i64, qc as i64 + ring as i64);
        let (r0, r1) = (qr as i64 - ring as i64, qr as i64 + ring as i64);
        let (cols, rows) = (self.cols as i64, self.rows as i64);
        let mut visit = |c: i64, r: i64| {
            if (0..cols).contains(&c) && (0..rows).contains(&r) {
                f((r * cols + c) as usize);
            }
        };
        if ring == 0 {
            visit(c0, r0);
            return;
        }
        for c in c0..=c1 {
            visit(c, r0);
            visit(c, r1);
        }
        for r in r0 + 1..r1 {
            visit(c0, r);
            visit(c1, r);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiesu_domain::point::PointDraft;

    fn point(id: i64, lon: f64, lat: f64) -> Point {
        Point {
            id,
            draft: PointDraft {
                name: format!("点{id}"),
                kind: "公厕".into(),
                address: String::new(),
                lon,
                lat,
                district: "示范区".into(),
                street: String::new(),
                hours: String::new(),
                contact: String::new(),
                facilities: Vec::new(),
            },
        }
    }

    /// A small deterministic scatter (a linear congruential walk).
    fn scatter(n: usize) -> Vec<Point> {
        let mut s: u64 = 7;
        let mut next = || {
            s = s
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (s >> 11) as f64 / (1u64 << 53) as f64
        };
        (0..n)
            .map(|i| point(i as i64, 116.0 + next() * 0.5, 39.6 + next() * 0.4))
            .collect()
    }

    #[test]
    fn the_grid_finds_what_a_full_scan_finds() {
        let points = scatter(5_000);
        let index = PointIndex::new(points.clone());
        for (lon, lat) in [(116.2, 39.8), (115.0, 39.0), (116.49, 39.99), (117.0, 41.0)] {
            let at = Coord { lon, lat };
            let mut scan: Vec<(f64, i64)> = points
                .iter()
                .filter(|p| p.id % 3 == 0)
                .map(|p| (at.distance_m(p.draft.coord()), p.id))
                .collect();
            scan.sort_by(|a, b| a.0.total_cmp(&b.0));
            let found = index.nearest(at, 10, |p| p.id % 3 == 0);
            let ids: Vec<i64> = found.iter().map(|n| n.point.id).collect();
            let expected: Vec<i64> = scan.iter().take(10).map(|s| s.1).collect();
            assert_eq!(ids, expected, "at {lon},{lat}");
        }
    }

    #[test]
    fn fewer_points_than_asked_are_all_returned() {
        let index = PointIndex::new(vec![point(1, 116.0, 39.0), point(2, 116.1, 39.0)]);
        let found = index.nearest(
            Coord {
                lon: 116.09,
                lat: 39.0,
            },
            10,
            |_| true,
        );
        assert_eq!(found.iter().map(|n| n.point.id).collect::<Vec<_>>(), [2, 1]);
        assert!(
            PointIndex::new(Vec::new())
                .nearest(Coord { lon: 0.0, lat: 0.0 }, 3, |_| true)
                .is_empty()
        );
    }
}
