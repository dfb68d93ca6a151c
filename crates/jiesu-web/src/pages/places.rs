//! The city's districts (区县) and streets (街道乡镇) as form choices, read from the bodies'
//! areas — the same gazetteer smart dispatch reads — and a typed place checked against them.

use jiesu_domain::body::{Body, BodyKind};

use super::form::FieldError;

/// A district and its streets, as the portal offers them.
pub struct DistrictChoice {
    pub name: String,
    pub streets: Vec<String>,
}

/// Every district with its streets, in the bodies' order.
pub fn districts(bodies: &[Body]) -> Vec<DistrictChoice> {
    bodies
        .iter()
        .filter(|b| b.kind == BodyKind::District)
        .filter_map(|d| {
            Some(DistrictChoice {
                name: d.areas.first()?.clone(),
                streets: bodies
                    .iter()
                    .filter(|s| s.kind == BodyKind::Street && s.parent == Some(d.id))
                    .filter_map(|s| s.areas.first().cloned())
                    .collect(),
            })
        })
        .collect()
}

/// A place as the citizen gave it, checked: the district and street must be the city's own
/// (chosen, or named in the typed address when not chosen), and the address loses a leading
/// district or street it would only repeat.
pub struct CheckedPlace {
    pub district: Option<String>,
    pub street: Option<String>,
    pub address: String,
}

pub fn check(
    choices: &[DistrictChoice],
    district: &str,
    street: &str,
    address: &str,
) -> Result<CheckedPlace, FieldError> {
    let (district, street, address) = (district.trim(), street.trim(), address.trim());
    let named = |a: &str| choices.iter().find(|d| a.contains(d.name.as_str()));
    let chosen = match district {
        "" => named(address),
        name => Some(
            choices
                .iter()
                .find(|d| d.name == name)
                .ok_or_else(|| FieldError::new("district", "请从列表中选择所在区县。"))?,
        ),
    };
    let street = match (chosen, street) {
        (_, "") => chosen.and_then(|d| d.streets.iter().find(|s| address.contains(s.as_str()))),
        (Some(d), s) => Some(
            d.streets
                .iter()
                .find(|x| x.as_str() == s)
                .ok_or_else(|| FieldError::new("street", "该街道不属于所选区县，请重新选择。"))?,
        ),
        (None, _) => return Err(FieldError::new("district", "请先选择所在区县。")),
    };
    let mut rest = address;
    for prefix in [chosen.map(|d| d.name.as_str()), street.map(String::as_str)]
        .into_iter()
        .flatten()
    {
        rest = rest.strip_prefix(prefix).unwrap_or(rest).trim_start();
    }
    Ok(CheckedPlace {
        district: chosen.map(|d| d.name.clone()),
        street: street.cloned(),
        address: rest.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn city() -> Vec<DistrictChoice> {
        vec![DistrictChoice {
            name: "东城区".into(),
            streets: vec!["朝阳街道".into(), "文昌街道".into()],
        }]
    }

    #[test]
    fn an_unknown_district_is_refused() {
        let e = check(&city(), "火星区", "", "某路1号").err().unwrap();
        assert_eq!(e.field, "district");
        let e = check(&city(), "东城区", "火星街道", "").err().unwrap();
        assert_eq!(e.field, "street");
    }

    #[test]
    fn the_address_does_not_repeat_the_district() {
        let p = check(&city(), "东城区", "朝阳街道", "东城区朝阳街道建设路5号").unwrap();
        assert_eq!(p.address, "建设路5号");
        assert_eq!(p.street.as_deref(), Some("朝阳街道"));
    }

    #[test]
    fn a_typed_address_is_still_matched() {
        let p = check(&city(), "", "", "东城区文昌街道幸福里3号楼").unwrap();
        assert_eq!(p.district.as_deref(), Some("东城区"));
        assert_eq!(p.street.as_deref(), Some("文昌街道"));
        assert_eq!(p.address, "幸福里3号楼");
    }
}
