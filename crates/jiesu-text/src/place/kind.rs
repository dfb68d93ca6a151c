//! Levels of place names and the name endings (通名) that reveal them.

use serde::{Deserialize, Serialize};

/// The level of a place name, from the administrative tiers down to single sites.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum PlaceKind {
    /// 省: a province. Recorded, but never part of a place key.
    Province,
    /// 市: the prefecture-level city (地级市) of the message.
    City,
    /// 区 / 县 / 县级市: district level, the first tier below the city.
    District,
    /// 街道 / 镇 / 乡: street level.
    Street,
    /// 社区 / 村: community level.
    Community,
    /// 小区 / 花园 / 苑 / 公寓 / 大厦 / 广场 / 家园 / 城: a residential estate or building.
    Estate,
    /// 路 / 街 / 大道 / 巷: a road.
    Road,
    /// Any other named place: a school (…中学, …学校, …学院), a hospital, a park, or whatever
    /// an admin maintains in the gazetteer.
    Other,
}

impl PlaceKind {
    /// A short Chinese label for pages and reports.
    pub fn label(self) -> &'static str {
        match self {
            PlaceKind::Province => "省",
            PlaceKind::City => "市",
            PlaceKind::District => "区县",
            PlaceKind::Street => "街道乡镇",
            PlaceKind::Community => "社区村",
            PlaceKind::Estate => "小区楼宇",
            PlaceKind::Road => "道路",
            PlaceKind::Other => "其他",
        }
    }
}

/// Name endings, longest first so that `社区` wins over `区` and `街道` over `街`.
pub(crate) const SUFFIXES: &[(&str, PlaceKind)] = &[
    ("幼儿园", PlaceKind::Other),
    ("中学", PlaceKind::Other),
    ("小学", PlaceKind::Other),
    ("学校", PlaceKind::Other),
    ("学院", PlaceKind::Other),
    ("大学", PlaceKind::Other),
    ("医院", PlaceKind::Other),
    ("公园", PlaceKind::Other),
    ("街道", PlaceKind::Street),
    ("社区", PlaceKind::Community),
    ("小区", PlaceKind::Estate),
    ("花园", PlaceKind::Estate),
    ("公寓", PlaceKind::Estate),
    ("大厦", PlaceKind::Estate),
    ("广场", PlaceKind::Estate),
    ("家园", PlaceKind::Estate),
    ("大道", PlaceKind::Road),
    ("省", PlaceKind::Province),
    ("市", PlaceKind::City),
    ("区", PlaceKind::District),
    ("县", PlaceKind::District),
    ("镇", PlaceKind::Street),
    ("乡", PlaceKind::Street),
    ("村", PlaceKind::Community),
    ("苑", PlaceKind::Estate),
    ("城", PlaceKind::Estate),
    ("路", PlaceKind::Road),
    ("街", PlaceKind::Road),
    ("巷", PlaceKind::Road),
];

/// The ending of `name` that gives its level, if any, with the ending itself.
pub(crate) fn suffix_kind(name: &str) -> Option<(&'static str, PlaceKind)> {
    SUFFIXES
        .iter()
        .find(|(suffix, _)| name.ends_with(suffix))
        .map(|&(suffix, kind)| (suffix, kind))
}

/// Words that end like a place name but name no particular place (道路, 城市, 小区…), and
/// determiners that make a name generic (该小区, 本市).
pub(crate) fn is_generic(name: &str) -> bool {
    const GENERIC: &[&str] = &[
        "道路",
        "马路",
        "公路",
        "线路",
        "思路",
        "出路",
        "一路",
        "沿路",
        "铁路",
        "走路",
        "修路",
        "大路",
        "小路",
        "过路",
        "水路",
        "电路",
        "网路",
        "门路",
        "套路",
        "上路",
        "路路",
        "城市",
        "都市",
        "超市",
        "上市",
        "开市",
        "全市",
        "本市",
        "我市",
        "该市",
        "市区",
        "城区",
        "辖区",
        "园区",
        "景区",
        "片区",
        "校区",
        "地区",
        "郊区",
        "小区",
        "社区",
        "全区",
        "本区",
        "该区",
        "我区",
        "各区",
        "新区",
        "老区",
        "山区",
        "灾区",
        "库区",
        "矿区",
        "街区",
        "厂区",
        "营区",
        "城乡",
        "乡村",
        "农村",
        "城镇",
        "乡镇",
        "街道",
        "县城",
        "家乡",
        "老乡",
        "下乡",
        "本村",
        "全村",
        "我村",
        "该村",
        "各村",
        "本镇",
        "全镇",
        "该镇",
        "新城",
        "进城",
        "全城",
        "满城",
        "县区",
        "区县",
        "市县",
        "全县",
        "本县",
        "该县",
        "我县",
        "各县",
        "花园",
        "公寓",
        "大厦",
        "广场",
        "家园",
        "街头",
        "大街",
        "上街",
        "逛街",
        "沿街",
        "临街",
        "商业街",
        "步行街",
        "美好家园",
        "小区",
        "省",
        "市",
        "区",
        "县",
        "镇",
        "乡",
        "村",
        "苑",
        "城",
        "路",
        "街",
        "巷",
        "大道",
        "旧城区",
        "老城区",
        "居民区",
        "安置区",
        "学区",
        "住宅区",
        "生活区",
        "商业区",
        "风景区",
        "服务区",
        "保护区",
        "示范区",
        "工业区",
        "商城", "幼儿园", "中学", "小学", "学校", "学院", "大学", "医院", "公园", "高中", "初中",
        "全省",
        "本省",
        "我省",
        "外省",
        "该省",
        "各省",
        "省市",
        "市民",
        "城管",
    ];
    GENERIC.contains(&name)
}
