//! The points' map (点位地图) as inline SVG: the districts' outlines and the points, drawn by
//! jiesu itself so the map works offline — no tile server, nothing from a CDN.

use jiesu_domain::point::{Coord, MapArea, Point};

/// The map's width in SVG units (it scales to its box).
const WIDTH: f64 = 800.0;
/// One colour per kind, in the kinds' order (repeating beyond).
const COLOURS: &[&str] = &[
    "#c8372d", "#1f7a4d", "#2f5fb3", "#b26a00", "#6b3fa0", "#00838f", "#8d6e63",
];

pub fn colour(kind_index: usize) -> &'static str {
    COLOURS[kind_index % COLOURS.len()]
}

/// A district's outline, projected.
pub struct Shape {
    pub name: String,
    /// The `points` attribute of its `<polygon>`.
    pub corners: String,
    pub label_x: String,
    pub label_y: String,
}

/// A point on the map.
pub struct Dot {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub x: String,
    pub y: String,
    pub colour: &'static str,
}

pub struct MapView {
    pub width: String,
    pub height: String,
    pub shapes: Vec<Shape>,
    pub dots: Vec<Dot>,
    /// "You are here" (the nearest query's origin).
    pub origin: Option<(String, String)>,
}

struct Projection {
    west: f64,
    north: f64,
    scale_x: f64,
    scale_y: f64,
}

impl Projection {
    fn xy(&self, c: Coord) -> (String, String) {
        (
            format!("{:.1}", (c.lon - self.west) * self.scale_x),
            format!("{:.1}", (self.north - c.lat) * self.scale_y),
        )
    }
}

impl MapView {
    /// The map of `areas` with `points` (coloured by their kind's place in `kinds`) and an
    /// optional origin; framed on the areas, or on the points when no area is drawn.
    pub fn new(
        areas: &[MapArea],
        points: &[&Point],
        kinds: &[String],
        origin: Option<Coord>,
    ) -> MapView {
        let mut corners: Vec<Coord> = areas
            .iter()
            .flat_map(|a| {
                a.polygon.iter().map(|[lon, lat]| Coord {
                    lon: *lon,
                    lat: *lat,
                })
            })
            .collect();
        if corners.is_empty() {
            corners = points
                .iter()
                .map(|p| p.draft.coord())
                .chain(origin)
                .collect();
        }
        let (mut w, mut s, mut e, mut n) = (180.0_f64, 90.0_f64, -180.0_f64, -90.0_f64);
        for c in &corners {
            (w, s, e, n) = (w.min(c.lon), s.min(c.lat), e.max(c.lon), n.max(c.lat));
        }
        if corners.is_empty() {
            (w, s, e, n) = (0.0, 0.0, 0.01, 0.01);
        }
        // A margin, and never a zero-sized frame.
        let pad_x = ((e - w) * 0.03).max(0.002);
        let pad_y = ((n - s) * 0.03).max(0.002);
        let (w, s, e, n) = (w - pad_x, s - pad_y, e + pad_x, n + pad_y);
        let squash = ((s + n) / 2.0).to_radians().cos().max(0.05);
        let scale_x = WIDTH / (e - w);
        let height = (WIDTH * (n - s) / ((e - w) * squash)).clamp(200.0, 1_200.0);
        let p = Projection {
            west: w,
            north: n,
            scale_x,
            scale_y: height / (n - s),
        };
        let shapes = areas
            .iter()
            .map(|a| {
                let centre = p.xy(a.centre());
                Shape {
                    name: a.district.clone(),
                    corners: a
                        .polygon
                        .iter()
                        .map(|[lon, lat]| {
                            let (x, y) = p.xy(Coord {
                                lon: *lon,
                                lat: *lat,
                            });
                            format!("{x},{y}")
                        })
                        .collect::<Vec<_>>()
                        .join(" "),
                    label_x: centre.0,
                    label_y: centre.1,
                }
            })
            .collect();
        let dots = points
            .iter()
            .map(|pt| {
                let (x, y) = p.xy(pt.draft.coord());
                Dot {
                    id: pt.id,
                    name: pt.draft.name.clone(),
                    kind: pt.draft.kind.clone(),
                    x,
                    y,
                    colour: colour(
                        kinds
                            .iter()
                            .position(|k| *k == pt.draft.kind)
                            .unwrap_or(kinds.len()),
                    ),
                }
            })
            .collect();
        MapView {
            width: format!("{WIDTH:.0}"),
            height: format!("{height:.0}"),
            shapes,
            dots,
            origin: origin.map(|c| p.xy(c)),
        }
    }
}
