//! Bodies (承办单位) in a tree: the city, its districts and counties, their streets and towns,
//! the city's departments and public-service companies.

use serde::{Deserialize, Serialize};

use crate::ids::BodyId;
use crate::kinds::labelled_enum;

labelled_enum! {
    /// The level or nature of a body (单位类型).
    BodyKind, "kind" {
        City => "市级",
        District => "区县",
        Street => "街道乡镇",
        Department => "市直部门",
        Company => "公共服务企业",
    }
}

/// A body that can be dispatched to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Body {
    pub id: BodyId,
    pub name: String,
    pub kind: BodyKind,
    pub parent: Option<BodyId>,
    /// Area names this body answers for (district, streets, communities, estates…): the
    /// gazetteer smart dispatch reads.
    pub areas: Vec<String>,
}

/// A body before it has an id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewBody {
    pub name: String,
    pub kind: BodyKind,
    pub parent: Option<BodyId>,
    #[serde(default)]
    pub areas: Vec<String>,
}

/// The ids of `root` and every body below it, given the whole list of bodies.
pub fn subtree(bodies: &[Body], root: BodyId) -> Vec<BodyId> {
    let mut out = vec![root];
    let mut i = 0;
    while i < out.len() {
        let parent = out[i];
        out.extend(
            bodies
                .iter()
                .filter(|b| b.parent == Some(parent))
                .map(|b| b.id),
        );
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(id: i64, parent: Option<i64>) -> Body {
        Body {
            id: BodyId(id),
            name: format!("单位{id}"),
            kind: BodyKind::District,
            parent: parent.map(BodyId),
            areas: vec![],
        }
    }

    #[test]
    fn subtree_collects_all_descendants() {
        let bodies = vec![
            body(1, None),
            body(2, Some(1)),
            body(3, Some(2)),
            body(4, None),
        ];
        assert_eq!(
            subtree(&bodies, BodyId(1)),
            vec![BodyId(1), BodyId(2), BodyId(3)]
        );
        assert_eq!(subtree(&bodies, BodyId(4)), vec![BodyId(4)]);
    }
}
