//! Kinds of service point (点位类型) and their facility checklists (设施清单). A new city
//! starts with 爱心驿站, 回收点, 加注站, 联络站 and 公厕 (migration 0024); the admin edits
//! their checklists and adds kinds.

use serde::{Deserialize, Serialize};

use super::invalid;
use crate::appeal::clean_text;
use crate::error::DomainError;

/// A kind of point and the facilities a point of it may have, in the order pages list them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PointKind {
    pub name: String,
    #[serde(default)]
    pub facilities: Vec<String>,
}

/// The most facilities one kind lists.
pub const MAX_FACILITIES: usize = 60;

impl PointKind {
    /// Trims and checks the name and the facilities (each named once, none empty).
    pub fn validated(mut self) -> Result<PointKind, DomainError> {
        self.name = clean_text("name", &self.name, 40, true)?;
        if self.facilities.len() > MAX_FACILITIES {
            return Err(invalid(
                "facilities",
                format!("设施最多 {MAX_FACILITIES} 项"),
            ));
        }
        let mut clean: Vec<String> = Vec::with_capacity(self.facilities.len());
        for f in &self.facilities {
            let f = clean_text("facilities", f, 20, false)?;
            if f.is_empty() {
                continue;
            }
            if clean.contains(&f) {
                return Err(invalid("facilities", format!("设施「{f}」重复")));
            }
            clean.push(f);
        }
        self.facilities = clean;
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeated_facility_is_refused() {
        let kind = PointKind {
            name: "充电站".into(),
            facilities: vec!["快充".into(), " 快充".into()],
        };
        assert!(kind.validated().unwrap_err().to_string().contains("重复"));
    }
}
