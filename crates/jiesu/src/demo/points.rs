//! The demo city's service points (便民点位) and its map: every district an invented
//! rectangle (the city has no real geography), its streets the rectangle's quarters, and
//! points of every kind scattered inside them under invented names.

use anyhow::Result;
use chrono::Utc;
use jiesu_app::points::gazetteer::Gazetteer;
use jiesu_domain::point::{MapArea, PointDraft, PointKind};
use jiesu_store::Store;
use rand::RngExt;
use rand::rngs::StdRng;

/// Where the demo map starts (the south-west corner) and each district's size, in degrees.
const ORIGIN: (f64, f64) = (112.40, 37.70);
const DISTRICT_SIZE: (f64, f64) = (0.08, 0.06);
/// Districts per row of the map.
const PER_ROW: usize = 3;

/// Invented place words the demo's point names are made of.
const WORDS: &[&str] = &[
    "青禾", "松林", "云杉", "桂香", "枫桥", "柳岸", "杏坛", "梧桐", "兰亭", "竹溪", "荷塘", "石榴",
    "银杏", "海棠", "芳草", "明月", "晨光", "长乐", "安和", "永宁",
];

/// A district's rectangle, and its streets' quarters as (street, [w, s, e, n]).
struct District {
    area: MapArea,
    quarters: Vec<(String, [f64; 4])>,
}

/// Every district of the gazetteer laid out on the demo map.
fn layout(gazetteer: &Gazetteer, streets: &dyn Fn(&str) -> Vec<String>) -> Vec<District> {
    gazetteer
        .districts()
        .enumerate()
        .map(|(i, district)| {
            let (col, row) = ((i % PER_ROW) as f64, (i / PER_ROW) as f64);
            let w = ORIGIN.0 + col * DISTRICT_SIZE.0;
            let s = ORIGIN.1 + row * DISTRICT_SIZE.1;
            let (e, n) = (w + DISTRICT_SIZE.0, s + DISTRICT_SIZE.1);
            let area = MapArea {
                district: district.to_string(),
                polygon: vec![[w, s], [e, s], [e, n], [w, n]],
            };
            let quarters = streets(district)
                .into_iter()
                .enumerate()
                .map(|(k, street)| {
                    let (qx, qy) = ((k % 2) as f64, ((k / 2) % 2) as f64);
                    let (hw, hh) = (DISTRICT_SIZE.0 / 2.0, DISTRICT_SIZE.1 / 2.0);
                    let (qw, qs) = (w + qx * hw, s + qy * hh);
                    (
                        street,
                        [qw + 0.002, qs + 0.005, qw + hw - 0.002, qs + hh - 0.005],
                    )
                })
                .collect();
            District { area, quarters }
        })
        .collect()
}

/// Saves the demo map and adds `count` points of every kind; returns their ids.
pub async fn create_points(store: &dyn Store, count: usize, rng: &mut StdRng) -> Result<Vec<i64>> {
    let bodies = store.bodies().await?;
    let gazetteer = Gazetteer::of(&bodies);
    let streets_of = |district: &str| -> Vec<String> {
        let Some(d) = bodies
            .iter()
            .find(|b| b.areas.first().is_some_and(|a| a == district))
        else {
            return Vec::new();
        };
        bodies
            .iter()
            .filter(|s| s.parent == Some(d.id) && s.kind == jiesu_domain::body::BodyKind::Street)
            .filter_map(|s| s.areas.first().cloned())
            .collect()
    };
    let map = layout(&gazetteer, &streets_of);
    if map.is_empty() {
        anyhow::bail!("演示城市没有区县，无法生成点位");
    }
    jiesu_app::points::save_map_areas(store, map.iter().map(|d| d.area.clone()).collect()).await?;
    let kinds = store.point_kinds().await?;
    let mut ids = Vec::with_capacity(count);
    let mut batch = Vec::new();
    for i in 0..count {
        let kind = &kinds[i % kinds.len()];
        let District { area, quarters } = &map[rng.random_range(0..map.len())];
        let district = &area.district;
        let (street, [w, s, e, n]) = match quarters.is_empty() {
            true => (
                String::new(),
                [ORIGIN.0, ORIGIN.1, ORIGIN.0 + 0.01, ORIGIN.1 + 0.01],
            ),
            false => quarters[rng.random_range(0..quarters.len())].clone(),
        };
        batch.push((
            None,
            point(i, kind, district, &street, [w, s, e, n], count, rng),
        ));
        if batch.len() == 5_000 || i + 1 == count {
            ids.extend(store.save_points(&batch, Utc::now()).await?);
            batch.clear();
        }
    }
    Ok(ids)
}

/// The `i`-th demo point: a name of invented words (numbered when there are many).
fn point(
    i: usize,
    kind: &PointKind,
    district: &str,
    street: &str,
    [w, s, e, n]: [f64; 4],
    count: usize,
    rng: &mut StdRng,
) -> PointDraft {
    let word = WORDS[(i / 5) % WORDS.len()];
    let place = if count <= WORDS.len() * 5 {
        word.to_string()
    } else {
        format!("{word}{}号", i / 5 / WORDS.len() + 1)
    };
    let facilities = kind
        .facilities
        .iter()
        .filter(|_| rng.random_bool(0.6))
        .cloned()
        .collect();
    PointDraft {
        name: format!("{street}{place}{}", kind.name),
        kind: kind.name.clone(),
        address: format!("{street}{word}路{}号", 1 + i % 200),
        lon: w + rng.random::<f64>() * (e - w),
        lat: s + rng.random::<f64>() * (n - s),
        district: district.to_string(),
        street: street.to_string(),
        hours: match kind.name.as_str() {
            "公厕" => "全天开放".into(),
            "联络站" => "周一至周五 9:00-17:00".into(),
            _ => "每日 8:00-20:00".into(),
        },
        contact: format!("0351-{:07}", 6_000_000 + i % 1_000_000),
        facilities,
    }
}

/// Points in the demo (a few of each kind).
const DEMO_POINTS: usize = 30;

/// The demo's points, and three recent open appeals about the first caring station, so
/// that it shows among the points with repeated complaints.
pub async fn create_demo_points(store: &dyn Store, rng: &mut StdRng) -> Result<()> {
    let ids = create_points(store, DEMO_POINTS, rng).await?;
    let open = store
        .list_appeals(
            &jiesu_store::AppealFilter {
                statuses: jiesu_domain::status::Status::ALL
                    .iter()
                    .copied()
                    .filter(|s| s.is_open())
                    .collect(),
                ..Default::default()
            },
            jiesu_store::Page::new(0, 3),
        )
        .await?;
    if let Some(&station) = ids.first() {
        for appeal in &open.items {
            store
                .name_point(appeal.id, station, appeal.created_at)
                .await?;
        }
    }
    Ok(())
}
