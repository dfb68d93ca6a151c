//! The three-level category taxonomy (诉求分类).

use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

use crate::error::DomainError;

/// A category path of one to three levels, e.g. `城乡建设 / 市政设施 / 路灯`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "Vec<String>", into = "Vec<String>")]
pub struct CategoryPath(Vec<String>);

impl CategoryPath {
    pub fn new(levels: Vec<String>) -> Result<CategoryPath, DomainError> {
        let levels: Vec<String> = levels
            .into_iter()
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty())
            .collect();
        if levels.is_empty() || levels.len() > 3 {
            return Err(DomainError::InvalidField {
                field: "category",
                reason: "分类须为一至三级".into(),
            });
        }
        if levels.iter().any(|l| l.contains(['/', '>', '＞', '|'])) {
            return Err(DomainError::InvalidField {
                field: "category",
                reason: "分类名称不能包含 / > ＞ |".into(),
            });
        }
        if levels.iter().any(|l| l.chars().count() > 50) {
            return Err(DomainError::InvalidField {
                field: "category",
                reason: "分类名称过长".into(),
            });
        }
        Ok(CategoryPath(levels))
    }

    /// Parses `A/B/C`, `A > B > C` or `A-B-C` style paths.
    pub fn parse(text: &str) -> Result<CategoryPath, DomainError> {
        CategoryPath::new(
            text.split(['/', '>', '＞', '|'])
                .map(str::to_string)
                .collect(),
        )
    }

    pub fn levels(&self) -> &[String] {
        &self.0
    }

    pub fn first(&self) -> &str {
        &self.0[0]
    }
}

impl std::fmt::Display for CategoryPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.join(" / "))
    }
}

impl TryFrom<Vec<String>> for CategoryPath {
    type Error = DomainError;
    fn try_from(v: Vec<String>) -> Result<Self, Self::Error> {
        CategoryPath::new(v)
    }
}

impl From<CategoryPath> for Vec<String> {
    fn from(p: CategoryPath) -> Vec<String> {
        p.0
    }
}

/// The category tree: every known path and all of its prefixes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Taxonomy {
    leaves: BTreeSet<CategoryPath>,
}

/// The project's own default taxonomy, shipped with the binary.
const DEFAULT_TAXONOMY: &str = include_str!("../taxonomy/default.csv");

impl Taxonomy {
    /// The default taxonomy jiesu ships.
    pub fn default_tree() -> Taxonomy {
        Taxonomy::from_csv(DEFAULT_TAXONOMY).expect("the shipped taxonomy is valid")
    }

    /// Reads CSV text with a header row and one path per row (一级分类,二级分类,三级分类).
    /// Errors name the line.
    pub fn from_csv(text: &str) -> Result<Taxonomy, DomainError> {
        let mut leaves = BTreeSet::new();
        for (i, line) in text.lines().enumerate().skip(1) {
            let line = line.trim().trim_start_matches('\u{feff}');
            if line.is_empty() {
                continue;
            }
            let path = CategoryPath::new(
                line.split(',')
                    .map(|s| s.trim_matches('"').to_string())
                    .collect(),
            )
            .map_err(|e| DomainError::InvalidField {
                field: "taxonomy",
                reason: format!("第 {} 行：{e}", i + 1),
            })?;
            leaves.insert(path);
        }
        if leaves.is_empty() {
            return Err(DomainError::InvalidField {
                field: "taxonomy",
                reason: "文件中没有分类".into(),
            });
        }
        Ok(Taxonomy { leaves })
    }

    pub fn leaves(&self) -> impl Iterator<Item = &CategoryPath> {
        self.leaves.iter()
    }

    /// The distinct first-level names, in order.
    pub fn first_levels(&self) -> Vec<&str> {
        let mut out: Vec<&str> = self.leaves.iter().map(|p| p.first()).collect();
        out.dedup();
        out
    }

    /// True if `path` is a leaf or a prefix of one.
    pub fn contains(&self, path: &CategoryPath) -> bool {
        self.leaves
            .iter()
            .any(|leaf| leaf.0.len() >= path.0.len() && leaf.0[..path.0.len()] == path.0[..])
    }

    /// Refuses a path the taxonomy does not know.
    pub fn check(&self, path: &CategoryPath) -> Result<(), DomainError> {
        if self.contains(path) {
            Ok(())
        } else {
            Err(DomainError::InvalidField {
                field: "category",
                reason: format!("未知分类「{path}」"),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_taxonomy_loads() {
        let t = Taxonomy::default_tree();
        assert!(t.first_levels().len() >= 10);
        assert!(t.contains(&CategoryPath::parse("城乡建设").unwrap()));
        assert!(
            t.check(&CategoryPath::parse("不存在的分类").unwrap())
                .is_err()
        );
    }

    #[test]
    fn bad_rows_name_the_line() {
        let err = Taxonomy::from_csv("a,b,c\nx,y,z\n,,\n").unwrap_err();
        assert!(err.to_string().contains("第 3 行"), "{err}");
    }

    #[test]
    fn names_cannot_hold_a_separator() {
        let err = Taxonomy::from_csv("a,b,c\n城乡建设,市政设施,路灯/照明\n").unwrap_err();
        assert!(err.to_string().contains("第 2 行"), "{err}");
    }

    #[test]
    fn paths_parse_with_separators() {
        let p = CategoryPath::parse("城乡建设 / 市政设施 / 路灯").unwrap();
        assert_eq!(p.levels().len(), 3);
        assert_eq!(p.to_string(), "城乡建设 / 市政设施 / 路灯");
    }
}
