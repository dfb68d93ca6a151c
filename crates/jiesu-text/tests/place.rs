//! Place extraction through the public API, on invented addresses.

use jiesu_text::place::{Gazetteer, GazetteerEntry, GazetteerError, PlaceKind, PlaceSource};

fn city_gazetteer() -> Gazetteer {
    Gazetteer::new([
        GazetteerEntry::new("青山区", PlaceKind::District),
        GazetteerEntry::new("桂园街道", PlaceKind::Street).with_parent("青山区"),
        GazetteerEntry::new("望江社区", PlaceKind::Community).with_parent("桂园街道"),
        GazetteerEntry::new("翠湖苑小区", PlaceKind::Estate)
            .with_parent("望江社区")
            .with_alias("翠湖苑"),
        GazetteerEntry::new("滨江路", PlaceKind::Road).with_parent("青山区"),
    ])
    .expect("valid gazetteer")
}

#[test]
fn anonymized_codes_give_city_and_district() {
    let places = Gazetteer::empty().extract("Ａ市Ｂ３区某某路段夜间施工");
    assert_eq!(places.city.as_deref(), Some("A市"));
    assert_eq!(places.district.as_deref(), Some("B3区"));
    let county = Gazetteer::empty().extract("K9县春风镇的自来水问题");
    assert_eq!(county.district.as_deref(), Some("K9县"));
    assert_eq!(county.street.as_deref(), Some("春风镇"));
    let building = Gazetteer::empty().extract("A市A5区青禾湾K9县交房后问题多");
    assert_eq!(building.district.as_deref(), Some("A5区"));
    let building = Gazetteer::empty().extract("A市青禾湾K9县墙壁开裂");
    assert_eq!(building.district, None);
    let county_city = Gazetteer::empty().extract("A市A9市东门菜市场");
    assert_eq!(county_city.city.as_deref(), Some("A市"));
    assert_eq!(county_city.district.as_deref(), Some("A9市"));
}

#[test]
fn gazetteer_names_fill_their_parents() {
    let places = city_gazetteer().extract("翠湖苑停水三天了，没人管");
    assert_eq!(places.estates, ["翠湖苑小区"]);
    assert_eq!(places.community.as_deref(), Some("望江社区"));
    assert_eq!(places.street.as_deref(), Some("桂园街道"));
    assert_eq!(places.district.as_deref(), Some("青山区"));
    assert_eq!(places.key(), "青山区/桂园街道/望江社区/翠湖苑");
    assert_eq!(places.area_key(), "青山区/桂园街道");
    let span = &places.spans[0];
    assert_eq!(
        (span.text.as_str(), span.source),
        ("翠湖苑", PlaceSource::Gazetteer)
    );
}

#[test]
fn longest_gazetteer_name_wins() {
    let places = city_gazetteer().extract("翠湖苑小区门口滨江路积水");
    assert_eq!(places.estates, ["翠湖苑小区"]);
    assert_eq!(places.roads, ["滨江路"]);
    assert_eq!(places.spans.len(), 2);
}

#[test]
fn unknown_names_are_found_by_their_ending() {
    let g = Gazetteer::empty();
    let estate = g.extract("A市A2区金桂花园小区停车难");
    assert_eq!(estate.district.as_deref(), Some("A2区"));
    assert!(
        estate.estates.iter().any(|e| e.contains("金桂花园")),
        "{estate:?}"
    );
    let road = g.extract("A3区银杏路夜间施工噪音扰民");
    assert_eq!(road.roads, ["银杏路"]);
    assert_eq!(road.key(), "A3区/银杏路");
    let village = g.extract("A7县东湖镇石桥村修路");
    assert_eq!(village.street.as_deref(), Some("东湖镇"));
    assert_eq!(village.community.as_deref(), Some("石桥村"));
}

#[test]
fn generic_words_are_not_places() {
    let places = Gazetteer::empty().extract("城市道路坑洼多，小区路灯不亮");
    assert!(
        places.roads.is_empty() && places.estates.is_empty(),
        "{places:?}"
    );
    assert!(
        places.city.is_none() && places.district.is_none(),
        "{places:?}"
    );
    assert!(Gazetteer::empty().extract("今天天气很好").is_empty());
}

#[test]
fn keys_ignore_the_city_and_a_trailing_xiaoqu() {
    let g = Gazetteer::empty();
    assert_eq!(
        g.extract("A市A3区翠湖苑小区停水").key(),
        g.extract("A3区翠湖苑停水").key()
    );
    assert_eq!(g.extract("A市地铁太挤").key(), "A市");
}

#[test]
fn bad_gazetteers_are_refused_in_chinese() {
    let missing =
        Gazetteer::new([GazetteerEntry::new("甲街道", PlaceKind::Street).with_parent("乙区")]);
    let err = missing.unwrap_err();
    assert!(matches!(err, GazetteerError::UnknownParent { .. }));
    assert!(err.to_string().contains("乙区"));
    let twice = Gazetteer::new([
        GazetteerEntry::new("丙区", PlaceKind::District),
        GazetteerEntry::new("丁路", PlaceKind::Road).with_alias("丙区"),
    ]);
    assert!(matches!(twice.unwrap_err(), GazetteerError::Duplicate(_)));
    let looped = Gazetteer::new([
        GazetteerEntry::new("戊区", PlaceKind::District).with_parent("己街道"),
        GazetteerEntry::new("己街道", PlaceKind::Street).with_parent("戊区"),
    ]);
    assert!(matches!(looped.unwrap_err(), GazetteerError::Cycle(_)));
}
