//! `jiesu import appeals|taxonomy` and `jiesu export appeals` (导入 · 导出).

use std::path::Path;

use anyhow::{Context, Result};
use chrono::{DateTime, NaiveDateTime, Utc};
use indicatif::{ProgressBar, ProgressStyle};
use jiesu_app::listing::each_appeal;
use jiesu_app::settings::stored as settings;
use jiesu_domain::appeal::{AppealDraft, AppealNumber, Citizen, Place};
use jiesu_domain::category::{CategoryPath, Taxonomy};
use jiesu_domain::deadline::from_china_local;
use jiesu_domain::event::{Event, EventKind};
use jiesu_domain::ids::AppealId;
use jiesu_domain::kinds::{AppealType, Channel, Urgency};
use jiesu_domain::lifecycle::registered;
use jiesu_domain::user::Actor;
use jiesu_store::{AppealFilter, ImportedAppeal, Store};
use jiesu_text::cell::neutralise;

use crate::cli::ExportFormat;
use crate::table::{Row, read};

/// Rows written per transaction.
const BATCH: usize = 1_000;

/// Parses the time formats seen in exported files (`2019/4/25 9:32:09`, `2019-04-25 09:32:09`).
fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    [
        "%Y/%m/%d %H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
        "%Y/%m/%d %H:%M",
        "%Y-%m-%d %H:%M",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
    .or_else(|| {
        chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .ok()
            .and_then(|d| d.and_hms_opt(0, 0, 0))
    })
    .map(from_china_local)
}

/// The appeal type a message's title suggests (imported rows carry none).
fn guess_type(title: &str) -> AppealType {
    if title.contains("咨询")
        || title.contains("请问")
        || title.contains('?')
        || title.contains('？')
    {
        AppealType::Consultation
    } else if title.contains("建议") {
        AppealType::Suggestion
    } else if title.contains("举报") {
        AppealType::Report
    } else {
        AppealType::Complaint
    }
}

fn appeal_from_row(
    row: &Row,
    taxonomy: &Taxonomy,
    now: DateTime<Utc>,
) -> Result<ImportedAppeal, String> {
    let title: String = row
        .get(&["title", "留言主题", "标题"])
        .chars()
        .take(200)
        .collect();
    let detail = row.get(&["detail", "留言详情", "内容"]);
    let text = if detail.is_empty() {
        title.clone()
    } else {
        detail.to_string()
    };
    let category = match row.get(&["category", "一级标签", "分类"]) {
        "" => None,
        c => {
            let path = CategoryPath::parse(c).map_err(|e| e.to_string())?;
            taxonomy.check(&path).map_err(|e| e.to_string())?;
            Some(path)
        }
    };
    let at = match row.get(&["time", "留言时间", "时间"]) {
        "" => now,
        t => parse_time(t).ok_or_else(|| format!("时间「{t}」无法识别"))?,
    };
    if at > now {
        return Err("时间晚于当前时间".into());
    }
    let draft = AppealDraft {
        channel: Channel::MessageBoard,
        appeal_type: guess_type(&title),
        title,
        text: text
            .chars()
            .take(jiesu_domain::appeal::MAX_TEXT_CHARS)
            .collect(),
        citizen: Citizen {
            anonymous: true,
            ..Citizen::default()
        },
        place: Place::default(),
        category,
        urgency: Urgency::Normal,
        suggested: None,
    }
    .validated()
    .map_err(|e| e.to_string())?;
    let event = Event::new(
        AppealId(0),
        1,
        EventKind::Register {
            draft: Box::new(draft.clone()),
        },
        Actor::system(),
        at,
        "",
    );
    Ok(ImportedAppeal {
        appeal: registered(AppealId(0), AppealNumber(String::new()), draft, at),
        events: vec![event],
        query_code: format!("{:06}", rand::random_range(0..1_000_000u32)),
    })
}

/// Imports every valid row; rows that fail are listed with their line and reason.
pub async fn import_appeals(file: &Path, db: &str) -> Result<()> {
    let rows = read(file)?;
    let store = crate::backend::open(db).await?;
    let taxonomy = settings::taxonomy(&*store).await?;
    let now = Utc::now();
    let bar = ProgressBar::new(rows.len() as u64).with_style(
        ProgressStyle::with_template("导入诉求 {bar:40} {pos}/{len} ({eta})")
            .expect("valid template"),
    );
    let (mut imported, mut refused) = (0usize, Vec::new());
    for chunk in rows.chunks(BATCH) {
        let mut batch = Vec::with_capacity(chunk.len());
        for row in chunk {
            match appeal_from_row(row, &taxonomy, now) {
                Ok(appeal) => batch.push(appeal),
                Err(reason) => refused.push(format!("第 {} 行：{reason}", row.line)),
            }
        }
        imported += store.import_appeals(&batch).await?.len();
        bar.inc(chunk.len() as u64);
    }
    bar.finish_and_clear();
    for line in refused.iter().take(50) {
        eprintln!("{line}");
    }
    if refused.len() > 50 {
        eprintln!("……另有 {} 行未导入", refused.len() - 50);
    }
    println!("已导入 {imported} 件诉求，{} 行未导入", refused.len());
    Ok(())
}

pub async fn import_taxonomy(file: &Path, db: &str) -> Result<()> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("无法读取 {}", file.display()))?;
    let taxonomy = Taxonomy::from_csv(&text)?;
    let store = crate::backend::open(db).await?;
    settings::save_taxonomy(&*store, &taxonomy).await?;
    println!(
        "已导入分类：{} 个一级分类，{} 个末级分类",
        taxonomy.first_levels().len(),
        taxonomy.leaves().count()
    );
    Ok(())
}

const EXPORT_HEADER: [&str; 12] = [
    "受理编号",
    "受理时间",
    "渠道",
    "类型",
    "标题",
    "内容",
    "分类",
    "状态",
    "承办单位",
    "区县",
    "地址",
    "回访满意度",
];

async fn export_rows(store: &dyn Store) -> Result<Vec<[String; 12]>> {
    let bodies = store.bodies().await?;
    let mut rows = Vec::new();
    each_appeal(store, &AppealFilter::default(), None, |a| {
        let body = a
            .lead_body
            .and_then(|id| bodies.iter().find(|b| b.id == id))
            .map(|b| b.name.clone());
        rows.push([
            a.number.0,
            jiesu_domain::deadline::china_local(a.created_at)
                .format("%Y-%m-%d %H:%M:%S")
                .to_string(),
            a.channel.label().into(),
            a.appeal_type.label().into(),
            a.title,
            a.text,
            a.category.map(|c| c.to_string()).unwrap_or_default(),
            a.status.label().into(),
            body.unwrap_or_default(),
            a.place.district.unwrap_or_default(),
            a.place.address,
            a.callback
                .map(|c| c.satisfaction.label().to_string())
                .unwrap_or_default(),
        ]);
    })
    .await?;
    Ok(rows)
}

pub async fn export_appeals(format: ExportFormat, out: Option<&Path>, db: &str) -> Result<()> {
    let store = crate::backend::open(db).await?;
    let rows = export_rows(&*store).await?;
    match format {
        ExportFormat::Csv => {
            let sink: Box<dyn std::io::Write> = match out {
                Some(path) => Box::new(
                    std::fs::File::create(path)
                        .with_context(|| format!("无法写入 {}", path.display()))?,
                ),
                None => Box::new(std::io::stdout()),
            };
            let mut writer = csv::Writer::from_writer(sink);
            writer.write_record(EXPORT_HEADER)?;
            for row in &rows {
                writer.write_record(row.iter().map(|cell| neutralise(cell).into_owned()))?;
            }
            writer.flush()?;
        }
        ExportFormat::Xlsx => {
            let path = out.context("导出 XLSX 须用 --out 指定文件")?;
            let mut book = rust_xlsxwriter::Workbook::new();
            let sheet = book.add_worksheet().set_name("诉求")?;
            for (c, h) in EXPORT_HEADER.iter().enumerate() {
                sheet.write_string(0, c as u16, *h)?;
            }
            // Cells are written as strings, never as formulas: a title such as `=1+1`
            // stays text in the workbook.
            for (r, row) in rows.iter().enumerate() {
                for (c, v) in row.iter().enumerate() {
                    sheet.write_string(r as u32 + 1, c as u16, v)?;
                }
            }
            book.save(path)
                .with_context(|| format!("无法写入 {}", path.display()))?;
        }
    }
    eprintln!("已导出 {} 件诉求", rows.len());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn times_in_both_formats() {
        let a = parse_time("2019/4/25 9:32:09").unwrap();
        let b = parse_time("2019-04-25 09:32:09").unwrap();
        assert_eq!(a, b);
        assert_eq!(a, Utc.with_ymd_and_hms(2019, 4, 25, 1, 32, 9).unwrap());
        assert!(parse_time("昨天").is_none());
    }

    #[test]
    fn types_from_titles() {
        assert_eq!(guess_type("咨询公积金提取"), AppealType::Consultation);
        assert_eq!(guess_type("建议增加公交线路"), AppealType::Suggestion);
        assert_eq!(guess_type("小区噪音扰民"), AppealType::Complaint);
    }
}
