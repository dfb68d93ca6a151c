//! Training data for the dispatch classifier: appeal history read from CSV/XLSX files or
//! handed over in memory by the server.

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// One appeal of the history: what the citizen wrote and where the centre sent it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrainingRecord {
    /// The appeal's title (标题 / 留言主题).
    pub title: String,
    /// The appeal's full text (详情); may be empty.
    pub text: String,
    /// Category from the first level down (e.g. `["城乡建设", "市政设施", "路灯"]`); at least one level.
    pub category_path: Vec<String>,
    /// The responsible body (承办单位) the appeal went to, when known.
    pub body: Option<String>,
}

impl TrainingRecord {
    /// A record with a first-level category only.
    pub fn new(title: &str, text: &str, category: &str) -> Self {
        TrainingRecord {
            title: title.to_string(),
            text: text.to_string(),
            category_path: parse_category_path(category),
            body: None,
        }
    }

    /// The first-level category, if any.
    pub fn first_level(&self) -> Option<&str> {
        self.category_path.first().map(String::as_str)
    }
}

/// Errors reading a training or test file.
#[derive(Debug, Error)]
pub enum DatasetError {
    #[error("无法读取数据文件 {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("CSV 格式错误 ({path}): {source}")]
    Csv {
        path: String,
        #[source]
        source: csv::Error,
    },
    #[error("Excel 文件无法读取 ({path}): {message}")]
    Xlsx { path: String, message: String },
    #[error("数据文件 {path} 缺少必需的列: {column}")]
    MissingColumn { path: String, column: &'static str },
    #[error("数据文件 {path} 中没有可用的记录")]
    Empty { path: String },
    #[error("训练失败: {0}")]
    Train(#[from] super::train::TrainError),
}

/// A set of training records, with the number of rows that could not be used.
#[derive(Debug, Clone, Default)]
pub struct Dataset {
    pub records: Vec<TrainingRecord>,
    /// Rows skipped because they had no category or neither title nor text.
    pub skipped: usize,
}

/// Accepted header names (lowercase, trimmed) for each column.
const TITLE_NAMES: &[&str] = &["title", "标题", "留言主题", "诉求标题", "主题"];
const TEXT_NAMES: &[&str] = &[
    "detail",
    "text",
    "content",
    "详情",
    "留言详情",
    "诉求内容",
    "内容",
];
const CATEGORY_NAMES: &[&str] = &[
    "category",
    "category_path",
    "分类",
    "一级标签",
    "一级分类",
    "诉求分类",
];
const BODY_NAMES: &[&str] = &[
    "body",
    "responsible_body",
    "承办单位",
    "责任单位",
    "处理单位",
];

/// Positions of the known columns in a header row.
struct Columns {
    title: Option<usize>,
    text: Option<usize>,
    category: usize,
    body: Option<usize>,
}

impl Columns {
    fn find(headers: &[String], path: &Path) -> Result<Columns, DatasetError> {
        let clean: Vec<String> = headers
            .iter()
            .map(|h| h.trim_start_matches('\u{feff}').trim().to_lowercase())
            .collect();
        let pos = |names: &[&str]| clean.iter().position(|h| names.contains(&h.as_str()));
        let category = pos(CATEGORY_NAMES).ok_or_else(|| DatasetError::MissingColumn {
            path: path.display().to_string(),
            column: "category",
        })?;
        let title = pos(TITLE_NAMES);
        let text = pos(TEXT_NAMES);
        if title.is_none() && text.is_none() {
            return Err(DatasetError::MissingColumn {
                path: path.display().to_string(),
                column: "title",
            });
        }
        Ok(Columns {
            title,
            text,
            category,
            body: pos(BODY_NAMES),
        })
    }

    fn record(&self, cell: impl Fn(usize) -> String) -> Option<TrainingRecord> {
        let title = self.title.map(&cell).unwrap_or_default();
        let text = self.text.map(&cell).unwrap_or_default();
        let category_path = parse_category_path(&cell(self.category));
        if category_path.is_empty() || (title.trim().is_empty() && text.trim().is_empty()) {
            return None;
        }
        let body = self
            .body
            .map(&cell)
            .map(|b| b.trim().to_string())
            .filter(|b| !b.is_empty());
        Some(TrainingRecord {
            title,
            text,
            category_path,
            body,
        })
    }
}

/// Splits a category path written `A/B/C`, `A > B > C` (full-width forms too) into its levels.
pub fn parse_category_path(raw: &str) -> Vec<String> {
    raw.split(['/', '>', '／', '＞', '›', '»', '\\'])
        .map(|part| part.trim())
        .filter(|part| !part.is_empty())
        .map(str::to_string)
        .collect()
}

impl Dataset {
    /// Records handed over in memory (e.g. from the server's database).
    pub fn from_records(records: Vec<TrainingRecord>) -> Self {
        let before = records.len();
        let records: Vec<TrainingRecord> = records
            .into_iter()
            .filter(|r| {
                let has_words = !r.title.trim().is_empty() || !r.text.trim().is_empty();
                !r.category_path.is_empty() && has_words
            })
            .collect();
        Dataset {
            skipped: before - records.len(),
            records,
        }
    }

    /// Reads a UTF-8 CSV file with a header row. Columns are found by name: `title`, `detail`
    /// (or `text`), `category` (a first-level name or a path `A/B/C`), optionally `body`;
    /// Chinese names such as 留言主题, 留言详情, 一级标签, 承办单位 are accepted too. Other
    /// columns (`id`, `time`…) are ignored.
    pub fn from_csv(path: impl AsRef<Path>) -> Result<Dataset, DatasetError> {
        let path = path.as_ref();
        let csv_err = |source| DatasetError::Csv {
            path: path.display().to_string(),
            source,
        };
        let file = std::fs::File::open(path).map_err(|source| DatasetError::Io {
            path: path.display().to_string(),
            source,
        })?;
        let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(file);
        let headers: Vec<String> = reader
            .headers()
            .map_err(csv_err)?
            .iter()
            .map(str::to_string)
            .collect();
        let columns = Columns::find(&headers, path)?;
        let mut dataset = Dataset::default();
        for row in reader.records() {
            let row = row.map_err(csv_err)?;
            let cell = |i: usize| row.get(i).unwrap_or("").to_string();
            match columns.record(cell) {
                Some(record) => dataset.records.push(record),
                None => dataset.skipped += 1,
            }
        }
        if dataset.records.is_empty() {
            return Err(DatasetError::Empty {
                path: path.display().to_string(),
            });
        }
        Ok(dataset)
    }

    /// Reads the first sheet of an XLSX (or XLS/ODS) workbook whose first row holds the same
    /// column names as [`Dataset::from_csv`].
    pub fn from_xlsx(path: impl AsRef<Path>) -> Result<Dataset, DatasetError> {
        use calamine::{Reader, open_workbook_auto};
        let path = path.as_ref();
        let xlsx_err = |message: String| DatasetError::Xlsx {
            path: path.display().to_string(),
            message,
        };
        let mut workbook = open_workbook_auto(path).map_err(|e| xlsx_err(e.to_string()))?;
        let range = workbook
            .worksheet_range_at(0)
            .ok_or_else(|| xlsx_err("工作簿中没有工作表".to_string()))?
            .map_err(|e| xlsx_err(e.to_string()))?;
        let mut rows = range.rows();
        let headers: Vec<String> = rows
            .next()
            .ok_or_else(|| DatasetError::Empty {
                path: path.display().to_string(),
            })?
            .iter()
            .map(|c| c.to_string())
            .collect();
        let columns = Columns::find(&headers, path)?;
        let mut dataset = Dataset::default();
        for row in rows {
            let cell = |i: usize| row.get(i).map(|c| c.to_string()).unwrap_or_default();
            match columns.record(cell) {
                Some(record) => dataset.records.push(record),
                None => dataset.skipped += 1,
            }
        }
        if dataset.records.is_empty() {
            return Err(DatasetError::Empty {
                path: path.display().to_string(),
            });
        }
        Ok(dataset)
    }

    /// Reads a CSV or an Excel file, chosen by the file's extension.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Dataset, DatasetError> {
        let path = path.as_ref();
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("xlsx" | "xls" | "xlsm" | "ods") => Dataset::from_xlsx(path),
            _ => Dataset::from_csv(path),
        }
    }

    /// Number of records per first-level category, largest first.
    pub fn category_counts(&self) -> Vec<(String, usize)> {
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for r in &self.records {
            if let Some(c) = r.first_level() {
                *counts.entry(c).or_default() += 1;
            }
        }
        let mut out: Vec<(String, usize)> = counts
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        out
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn category_paths_in_every_notation() {
        let want = vec!["城乡建设", "市政设施", "路灯"];
        assert_eq!(parse_category_path("城乡建设/市政设施/路灯"), want);
        assert_eq!(parse_category_path("城乡建设 > 市政设施 > 路灯"), want);
        assert_eq!(parse_category_path("城乡建设＞市政设施／路灯"), want);
        assert_eq!(parse_category_path(" 城乡建设 "), vec!["城乡建设"]);
        assert!(parse_category_path(" / ").is_empty());
    }
}
