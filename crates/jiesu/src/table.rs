//! Reading spreadsheet-like files (CSV or XLSX) as rows of named cells, with their line
//! numbers, for imports.

use std::collections::HashMap;
use std::path::Path;

use anyhow::{Context, Result, bail};
use calamine::{Data, Reader, open_workbook_auto};

/// One data row: its line in the file (the header is line 1) and its cells by column name.
pub struct Row {
    pub line: usize,
    pub cells: HashMap<String, String>,
}

impl Row {
    /// The trimmed cell of the first of `names` present, or "".
    pub fn get(&self, names: &[&str]) -> &str {
        names
            .iter()
            .find_map(|n| self.cells.get(*n))
            .map_or("", |s| s.trim())
    }
}

/// Reads a `.csv` or `.xlsx`/`.xls` file (the first sheet).
pub fn read(path: &Path) -> Result<Vec<Row>> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    match ext.as_str() {
        "csv" => read_csv(path),
        "xlsx" | "xls" | "xlsm" => read_xlsx(path),
        _ => bail!("不支持的文件类型「{}」：请使用 CSV 或 XLSX", path.display()),
    }
}

fn read_csv(path: &Path) -> Result<Vec<Row>> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .with_context(|| format!("无法打开 {}", path.display()))?;
    let header: Vec<String> = reader
        .headers()
        .with_context(|| format!("无法读取 {} 的表头", path.display()))?
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
        .collect();
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.with_context(|| format!("第 {} 行格式错误", i + 2))?;
        let cells = header
            .iter()
            .cloned()
            .zip(record.iter().map(str::to_string))
            .collect();
        rows.push(Row { line: i + 2, cells });
    }
    Ok(rows)
}

fn read_xlsx(path: &Path) -> Result<Vec<Row>> {
    let mut workbook =
        open_workbook_auto(path).with_context(|| format!("无法打开 {}", path.display()))?;
    let sheet = workbook
        .worksheet_range_at(0)
        .context("工作簿中没有工作表")?
        .with_context(|| format!("无法读取 {}", path.display()))?;
    let mut lines = sheet.rows();
    let header: Vec<String> = lines
        .next()
        .context("工作表为空")?
        .iter()
        .map(|c| cell(c).trim().to_string())
        .collect();
    Ok(lines
        .enumerate()
        .map(|(i, r)| Row {
            line: i + 2,
            cells: header.iter().cloned().zip(r.iter().map(cell)).collect(),
        })
        .collect())
}

fn cell(data: &Data) -> String {
    match data {
        Data::Empty => String::new(),
        Data::DateTime(d) => d
            .as_datetime()
            .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
            .unwrap_or_default(),
        other => other.to_string(),
    }
}
