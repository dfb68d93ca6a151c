//! The point table (点位表) as CSV or XLSX: one header row of Chinese column names, one point
//! per row. Export writes the columns import reads, so a table can go out, be edited and
//! come back (rows keeping their 编号 replace those points).

use std::collections::HashMap;
use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use jiesu_domain::DomainError;
use jiesu_domain::point::{Point, PointDraft};
use rust_xlsxwriter::Workbook;

use crate::error::{AppError, AppResult};

/// The columns, in order, with the API field each fills.
const COLUMNS: [(&str, &str); 11] = [
    ("编号", "id"),
    ("名称", "name"),
    ("类型", "kind"),
    ("地址", "address"),
    ("经度", "lon"),
    ("纬度", "lat"),
    ("区县", "district"),
    ("街道", "street"),
    ("开放时间", "hours"),
    ("联系方式", "contact"),
    ("设施", "facilities"),
];

/// The most rows one import takes.
pub const MAX_ROWS: usize = 200_000;

/// A table file's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

impl Format {
    /// The format a file name's extension says.
    pub fn of_name(name: &str) -> Option<Format> {
        let ext = name.rsplit('.').next()?.to_ascii_lowercase();
        match ext.as_str() {
            "csv" => Some(Format::Csv),
            "xlsx" => Some(Format::Xlsx),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }
}

/// One data row: its line in the file (the header is line 1) and its cells by column name.
pub struct Row {
    pub line: usize,
    cells: HashMap<String, String>,
}

fn invalid(field: &'static str, reason: impl Into<String>) -> DomainError {
    DomainError::InvalidField {
        field,
        reason: reason.into(),
    }
}

impl Row {
    fn get(&self, column: &str) -> &str {
        self.cells.get(column).map_or("", |s| s.trim())
    }

    /// The row's point (and the id of the point it replaces), unchecked against its kind.
    pub fn point(&self) -> Result<(Option<i64>, PointDraft), DomainError> {
        let id = match self.get("编号") {
            "" => None,
            s => Some(
                s.parse::<i64>()
                    .ok()
                    .filter(|id| *id > 0)
                    .ok_or_else(|| invalid("id", format!("「{s}」不是点位编号")))?,
            ),
        };
        let number = |column: &str, field: &'static str| -> Result<f64, DomainError> {
            let s = self.get(column);
            s.parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| invalid(field, format!("「{s}」不是数字")))
        };
        Ok((
            id,
            PointDraft {
                name: self.get("名称").into(),
                kind: self.get("类型").into(),
                address: self.get("地址").into(),
                lon: number("经度", "lon")?,
                lat: number("纬度", "lat")?,
                district: self.get("区县").into(),
                street: self.get("街道").into(),
                hours: self.get("开放时间").into(),
                contact: self.get("联系方式").into(),
                facilities: self
                    .get("设施")
                    .split(['、', ',', '，', ';', '；'])
                    .map(str::trim)
                    .filter(|f| !f.is_empty())
                    .map(String::from)
                    .collect(),
            },
        ))
    }
}

/// A row's error as its column and reason ("经度：「东」不是数字").
pub fn reason(e: &DomainError) -> String {
    match e {
        DomainError::InvalidField { field, reason } => {
            let column = COLUMNS
                .iter()
                .find(|(_, f)| f == field)
                .map_or(*field, |(c, _)| *c);
            format!("{column}{reason}")
        }
        other => other.to_string(),
    }
}

fn file_error(reason: impl Into<String>) -> AppError {
    invalid("file", reason).into()
}

/// Reads a table; the header must name 名称, 类型, 经度, 纬度 and 区县.
pub fn read(bytes: &[u8], format: Format) -> AppResult<Vec<Row>> {
    let mut lines: Vec<Vec<String>> = match format {
        Format::Csv => {
            let text = std::str::from_utf8(bytes)
                .map_err(|_| file_error("CSV 文件须为 UTF-8 编码"))?
                .trim_start_matches('\u{feff}');
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(text.as_bytes());
            let mut lines = Vec::new();
            for (i, record) in reader.records().enumerate() {
                let record = record.map_err(|_| file_error(format!("第 {} 行格式错误", i + 1)))?;
                lines.push(record.iter().map(String::from).collect());
                if lines.len() > MAX_ROWS + 1 {
                    return Err(file_error(format!("一次最多导入 {MAX_ROWS} 个点位")));
                }
            }
            lines
        }
        Format::Xlsx => {
            let mut book =
                Xlsx::new(Cursor::new(bytes)).map_err(|_| file_error("无法读取该 XLSX 文件"))?;
            let sheet = book
                .worksheet_range_at(0)
                .ok_or_else(|| file_error("工作簿中没有工作表"))?
                .map_err(|_| file_error("无法读取第一个工作表"))?;
            if sheet.height() > MAX_ROWS + 1 {
                return Err(file_error(format!("一次最多导入 {MAX_ROWS} 个点位")));
            }
            sheet.rows().map(|r| r.iter().map(cell).collect()).collect()
        }
    };
    if lines.is_empty() {
        return Err(file_error("文件为空"));
    }
    let header: Vec<String> = lines
        .remove(0)
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let missing: Vec<&str> = ["名称", "类型", "经度", "纬度", "区县"]
        .into_iter()
        .filter(|c| !header.iter().any(|h| h == c))
        .collect();
    if !missing.is_empty() {
        return Err(file_error(format!("表头缺少列：{}", missing.join("、"))));
    }
    Ok(lines
        .into_iter()
        .enumerate()
        .filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()))
        .map(|(i, cells)| Row {
            line: i + 2,
            cells: header.iter().cloned().zip(cells).collect(),
        })
        .collect())
}

fn cell(c: &Data) -> String {
    match c {
        Data::Empty => String::new(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        other => other.to_string(),
    }
}

/// The cells of one point, in column order.
fn cells(p: &Point) -> [String; 11] {
    let d = &p.draft;
    [
        p.id.to_string(),
        d.name.clone(),
        d.kind.clone(),
        d.address.clone(),
        d.lon.to_string(),
        d.lat.to_string(),
        d.district.clone(),
        d.street.clone(),
        d.hours.clone(),
        d.contact.clone(),
        d.facilities.join("、"),
    ]
}

/// Writes points as a table.
pub fn write(points: &[Point], format: Format) -> AppResult<Vec<u8>> {
    let internal = |e: String| AppError::Internal(e);
    match format {
        Format::Csv => {
            let mut out = csv::Writer::from_writer(Vec::new());
            out.write_record(COLUMNS.iter().map(|(c, _)| *c))
                .map_err(|e| internal(e.to_string()))?;
            for p in points {
                out.write_record(cells(p))
                    .map_err(|e| internal(e.to_string()))?;
            }
            out.into_inner().map_err(|e| internal(e.to_string()))
        }
        Format::Xlsx => {
            let mut book = Workbook::new();
            let sheet = book.add_worksheet();
            let x = |e: rust_xlsxwriter::XlsxError| internal(e.to_string());
            sheet.set_name("点位").map_err(x)?;
            for (c, (name, _)) in COLUMNS.iter().enumerate() {
                sheet.write_string(0, c as u16, *name).map_err(x)?;
            }
            for (r, p) in points.iter().enumerate() {
                let row = r as u32 + 1;
                for (c, value) in cells(p).iter().enumerate() {
                    match c {
                        0 => sheet.write_number(row, 0, p.id as f64).map(drop),
                        4 => sheet.write_number(row, 4, p.draft.lon).map(drop),
                        5 => sheet.write_number(row, 5, p.draft.lat).map(drop),
                        _ => sheet.write_string(row, c as u16, value).map(drop),
                    }
                    .map_err(x)?;
                }
            }
            book.save_to_buffer().map_err(x)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<Point> {
        vec![Point {
            id: 7,
            draft: PointDraft {
                name: "青禾驿站".into(),
                kind: "爱心驿站".into(),
                address: "青禾路8号, 东门".into(),
                lon: 116.123456,
                lat: 39.654321,
                district: "示范区".into(),
                street: "青禾街道".into(),
                hours: "8:00-20:00".into(),
                contact: "010-12345678".into(),
                facilities: vec!["饮水".into(), "充电".into()],
            },
        }]
    }

    #[test]
    fn a_written_table_reads_back() {
        for format in [Format::Csv, Format::Xlsx] {
            let bytes = write(&sample(), format).unwrap();
            let rows = read(&bytes, format).unwrap();
            assert_eq!(rows.len(), 1);
            assert_eq!(rows[0].line, 2);
            let (id, draft) = rows[0].point().unwrap();
            assert_eq!(id, Some(7), "{format:?}");
            assert_eq!(draft, sample()[0].draft, "{format:?}");
        }
    }

    #[test]
    fn a_bad_cell_names_its_column() {
        let csv = "名称,类型,经度,纬度,区县\n甲,公厕,东经,39.9,示范区\n";
        let rows = read(csv.as_bytes(), Format::Csv).unwrap();
        let e = rows[0].point().unwrap_err();
        assert_eq!(reason(&e), "经度「东经」不是数字");
        let e = read("名称,经度\n".as_bytes(), Format::Csv).err().unwrap();
        assert!(e.to_string().contains("类型、纬度、区县"), "{e}");
    }
}
