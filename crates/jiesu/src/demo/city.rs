//! The fictional demo city (演示城市): districts, streets, departments and companies, and the
//! estates and roads appeals talk about.

use anyhow::Result;
use jiesu_domain::body::{Body, BodyKind, NewBody};
use jiesu_domain::ids::BodyId;
use jiesu_store::Store;

const DISTRICTS: &[(&str, &[&str])] = &[
    ("东城区", &["朝阳街道", "文昌街道", "东湖街道", "柳巷街道"]),
    ("西城区", &["西山街道", "河西街道", "兴华街道", "万柏街道"]),
    ("南湖区", &["南湖街道", "金沙街道", "桃园街道", "龙城镇"]),
    ("北山区", &["北山街道", "杏花街道", "古寨镇", "汾源乡"]),
    ("滨江区", &["滨江街道", "沿河街道", "新城街道", "长风街道"]),
    ("高新区", &["科创街道", "学府街道", "晋阳街道", "智谷街道"]),
];

/// City departments and what they answer for (first-level categories).
pub const DEPARTMENTS: &[(&str, &str)] = &[
    ("市住房和城乡建设局", "城乡建设"),
    ("市城市管理局", "城乡建设"),
    ("市生态环境局", "环境保护"),
    ("市交通运输局", "交通运输"),
    ("市人力资源和社会保障局", "劳动和社会保障"),
    ("市教育局", "教育文体"),
    ("市卫生健康委员会", "卫生计生"),
    ("市市场监督管理局", "商贸旅游"),
    ("市公安局", "公安司法"),
    ("市民政局", "民政"),
];

const COMPANIES: &[&str] = &["市供水公司", "市燃气公司", "市热力公司", "市供电公司"];

const ESTATES: &[&str] = &[
    "翠湖苑",
    "金桂园",
    "锦绣花园",
    "阳光家园",
    "康乐小区",
    "望江公寓",
    "梧桐里",
    "和平新村",
    "紫荆苑",
    "幸福里",
    "书香门第",
    "滨河花园",
];

const ROADS: &[&str] = &[
    "建设路",
    "解放路",
    "滨河东路",
    "迎春大街",
    "长治路",
    "新华街",
    "胜利桥",
    "学府路",
    "文化巷",
    "中环路",
    "府西街",
    "南内环街",
];

/// A place in the city: its district, street office and the estate or road named.
#[derive(Clone)]
pub struct Spot {
    pub district: String,
    pub street: String,
    pub street_body: BodyId,
    pub district_body: BodyId,
    pub landmark: String,
}

/// The demo city as created in the store.
pub struct City {
    pub spots: Vec<Spot>,
    /// (department, the first-level category it answers for)
    pub departments: Vec<(BodyId, &'static str)>,
    pub companies: Vec<BodyId>,
    /// The street office the demo handler works for.
    pub demo_handler_body: BodyId,
}

async fn add(
    store: &dyn Store,
    name: &str,
    kind: BodyKind,
    parent: Option<BodyId>,
    areas: Vec<String>,
) -> Result<Body> {
    Ok(store
        .create_body(&NewBody {
            name: name.into(),
            kind,
            parent,
            areas,
        })
        .await?)
}

/// Creates the city's bodies (at least 40, in a city → district → street tree plus
/// departments and companies).
pub async fn create_city(store: &dyn Store) -> Result<City> {
    let mut spots = Vec::new();
    let city = add(
        store,
        "示范市人民政府",
        BodyKind::City,
        None,
        vec!["示范市".into()],
    )
    .await?;
    for (d, (district, streets)) in DISTRICTS.iter().enumerate() {
        let district_body = add(
            store,
            &format!("{district}人民政府"),
            BodyKind::District,
            Some(city.id),
            vec![district.to_string()],
        )
        .await?;
        for (s, street) in streets.iter().enumerate() {
            let landmarks: Vec<String> = (0..3)
                .map(|k| {
                    let i = d * 4 + s + k * 5;
                    if k % 2 == 0 {
                        ESTATES[i % ESTATES.len()]
                    } else {
                        ROADS[i % ROADS.len()]
                    }
                    .to_string()
                })
                .collect();
            let mut areas = vec![street.to_string()];
            areas.extend(landmarks.iter().map(|l| format!("{district}{l}")));
            let body = add(
                store,
                &format!("{district}{street}办事处"),
                BodyKind::Street,
                Some(district_body.id),
                areas,
            )
            .await?;
            for landmark in landmarks {
                spots.push(Spot {
                    district: district.to_string(),
                    street: street.to_string(),
                    street_body: body.id,
                    district_body: district_body.id,
                    landmark,
                });
            }
        }
    }
    let mut departments = Vec::new();
    for (name, category) in DEPARTMENTS {
        let body = add(store, name, BodyKind::Department, Some(city.id), vec![]).await?;
        departments.push((body.id, *category));
    }
    let mut companies = Vec::new();
    for name in COMPANIES {
        let body = add(store, name, BodyKind::Company, None, vec![]).await?;
        companies.push(body.id);
    }
    let demo_handler_body = spots[0].street_body;
    Ok(City {
        spots,
        departments,
        companies,
        demo_handler_body,
    })
}
