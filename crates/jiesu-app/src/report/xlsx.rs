//! The monthly report as a workbook (月报 Excel): one titled sheet per part, frozen headers,
//! column widths, percentages formatted as percentages, a chart where it helps.

use rust_xlsxwriter::{Chart, ChartType, Format, FormatAlign, Workbook, Worksheet, XlsxError};

use super::{MonthlyReport, VolumeRow};
use jiesu_domain::assessment::rates::RateKind;

/// The name of the sheet the weakest replies (答复质量最弱) will fill once reply scores are
/// kept with the reviews.
pub const WEAKEST_REPLIES_SHEET: &str = "答复质量最弱";

struct Formats {
    title: Format,
    head: Format,
    percent: Format,
    number: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            title: Format::new().set_bold().set_font_size(14),
            head: Format::new()
                .set_bold()
                .set_background_color("#DCE6F1")
                .set_align(FormatAlign::Center)
                .set_border(rust_xlsxwriter::FormatBorder::Thin),
            percent: Format::new().set_num_format("0.0%"),
            number: Format::new().set_num_format("0.0"),
        }
    }
}

/// Writes the title in row 0 and the header in row 2, frozen below it, with widths.
fn header(
    sheet: &mut Worksheet,
    f: &Formats,
    title: &str,
    columns: &[(&str, f64)],
) -> Result<(), XlsxError> {
    sheet.write_string_with_format(0, 0, title, &f.title)?;
    for (c, (name, width)) in columns.iter().enumerate() {
        sheet.write_string_with_format(2, c as u16, *name, &f.head)?;
        sheet.set_column_width(c as u16, *width)?;
    }
    sheet.set_freeze_panes(3, 0)?;
    Ok(())
}

fn write_share(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    v: Option<f64>,
    f: &Formats,
) -> Result<(), XlsxError> {
    match v {
        Some(v) => sheet
            .write_number_with_format(row, col, v, &f.percent)
            .map(|_| ()),
        None => sheet.write_string(row, col, "—").map(|_| ()),
    }
}

fn volume_row(
    sheet: &mut Worksheet,
    row: u32,
    r: &VolumeRow,
    f: &Formats,
) -> Result<(), XlsxError> {
    sheet.write_string(row, 0, &r.key)?;
    sheet.write_number(row, 1, r.count as f64)?;
    sheet.write_number(row, 2, r.previous as f64)?;
    write_share(sheet, row, 3, VolumeRow::change(r.count, r.previous), f)?;
    sheet.write_number(row, 4, r.year_before as f64)?;
    write_share(sheet, row, 5, VolumeRow::change(r.count, r.year_before), f)?;
    Ok(())
}

/// The report as an `.xlsx` file's bytes.
pub fn workbook(report: &MonthlyReport) -> Result<Vec<u8>, XlsxError> {
    let f = Formats::new();
    let mut book = Workbook::new();
    let a = &report.assessment;

    // 1. Volumes.
    let sheet = book.add_worksheet().set_name("受理量")?;
    let columns = [
        ("项目", 22.0),
        ("本月", 10.0),
        ("上月", 10.0),
        ("环比", 10.0),
        ("去年同月", 10.0),
        ("同比", 10.0),
    ];
    header(sheet, &f, &report.title, &columns)?;
    let mut row = 3;
    volume_row(sheet, row, &report.total, &f)?;
    row += 2;
    let mut channel_rows = (0, 0);
    for table in &report.volumes {
        sheet.write_string_with_format(row, 0, table.title, &f.head)?;
        row += 1;
        let first = row;
        for r in &table.rows {
            volume_row(sheet, row, r, &f)?;
            row += 1;
        }
        if table.title == "按渠道" {
            channel_rows = (first, row.saturating_sub(1));
        }
        row += 1;
    }
    if channel_rows.1 >= channel_rows.0 && !report.volumes.is_empty() {
        let mut chart = Chart::new(ChartType::Column);
        chart.title().set_name("本月各渠道受理量");
        chart
            .add_series()
            .set_categories(("受理量", channel_rows.0, 0, channel_rows.1, 0))
            .set_values(("受理量", channel_rows.0, 1, channel_rows.1, 1))
            .set_name("本月");
        sheet.insert_chart(2, 7, &chart)?;
    }

    // 2. The rates of the city and of every body.
    let sheet = book.add_worksheet().set_name("三率")?;
    let mut columns: Vec<(&str, f64)> =
        vec![("单位", 26.0), ("分组", 12.0), ("件数", 8.0), ("得分", 8.0)];
    columns.extend(RateKind::ALL.iter().map(|k| (k.label(), 12.0)));
    columns.extend([("催办", 8.0), ("督办", 8.0), ("超期", 8.0), ("重办", 8.0)]);
    header(
        sheet,
        &f,
        &format!(
            "{}三率及各项指标（权重第 {} 版）",
            a.period_label, a.weights.version
        ),
        &columns,
    )?;
    sheet.write_string(3, 0, "全市")?;
    sheet.write_number(3, 2, a.city.cases as f64)?;
    if let Some(s) = a.city_score {
        sheet.write_number_with_format(3, 3, s, &f.number)?;
    }
    for (i, r) in a.city_rates.iter().enumerate() {
        write_share(sheet, 3, 4 + i as u16, r.value, &f)?;
    }
    let mut row = 4;
    for tier in &a.tiers {
        for b in &tier.bodies {
            sheet.write_string(row, 0, &b.name)?;
            sheet.write_string(row, 1, &tier.name)?;
            sheet.write_number(row, 2, b.counts.cases as f64)?;
            if let Some(s) = b.score {
                sheet.write_number_with_format(row, 3, s, &f.number)?;
            }
            for (i, r) in b.rates.iter().enumerate() {
                write_share(sheet, row, 4 + i as u16, r.value, &f)?;
            }
            let tail = 4 + b.rates.len() as u16;
            for (i, n) in [
                b.counts.reminders,
                b.counts.supervisions,
                b.counts.overdue,
                b.counts.reopened,
            ]
            .iter()
            .enumerate()
            {
                sheet.write_number(row, tail + i as u16, *n as f64)?;
            }
            row += 1;
        }
    }
    sheet.autofilter(2, 0, row.saturating_sub(1).max(3), columns.len() as u16 - 1)?;

    // 3. Rankings per tier, with a chart of the first tier's scores.
    let sheet = book.add_worksheet().set_name("分组排名")?;
    let columns = [
        ("分组", 12.0),
        ("排名", 8.0),
        ("单位", 26.0),
        ("得分", 8.0),
        ("环比（分）", 10.0),
        ("件数", 8.0),
        ("解决率", 10.0),
        ("满意率", 10.0),
    ];
    header(
        sheet,
        &f,
        &format!(
            "{}各单位综合得分排名（少于 {} 件不排名）",
            a.period_label, a.weights.set.min_cases
        ),
        &columns,
    )?;
    let mut row = 3;
    let mut chart_rows: Option<(u32, u32)> = None;
    for tier in &a.tiers {
        let first = row;
        for b in &tier.bodies {
            sheet.write_string(row, 0, &tier.name)?;
            match b.rank {
                Some(r) => sheet.write_number(row, 1, r as f64)?,
                None => sheet.write_string(row, 1, "不排名")?,
            };
            sheet.write_string(row, 2, &b.name)?;
            if let Some(s) = b.score {
                sheet.write_number_with_format(row, 3, s, &f.number)?;
            }
            if let Some(c) = b.change {
                sheet.write_number_with_format(row, 4, c, &f.number)?;
            }
            sheet.write_number(row, 5, b.counts.cases as f64)?;
            write_share(
                sheet,
                row,
                6,
                b.rates[RateKind::Resolution as usize].value,
                &f,
            )?;
            write_share(
                sheet,
                row,
                7,
                b.rates[RateKind::Satisfaction as usize].value,
                &f,
            )?;
            row += 1;
        }
        if chart_rows.is_none() && row > first {
            chart_rows = Some((first, row - 1));
        }
    }
    if let Some((first, last)) = chart_rows {
        let mut chart = Chart::new(ChartType::Bar);
        chart.title().set_name("综合得分");
        chart
            .add_series()
            .set_categories(("分组排名", first, 2, last.min(first + 19), 2))
            .set_values(("分组排名", first, 3, last.min(first + 19), 3))
            .set_name("得分");
        sheet.insert_chart(2, 9, &chart)?;
    }

    // 4. Overdue and reopened cases per body.
    let sheet = book.add_worksheet().set_name("超期与重办")?;
    let columns = [
        ("单位", 26.0),
        ("件数", 8.0),
        ("超期件数", 10.0),
        ("超期占比", 10.0),
        ("重办件数", 10.0),
        ("无效退单", 10.0),
    ];
    header(
        sheet,
        &f,
        &format!("{}超期与重办情况", a.period_label),
        &columns,
    )?;
    let mut bodies: Vec<_> = a
        .tiers
        .iter()
        .flat_map(|t| &t.bodies)
        .filter(|b| b.counts.overdue + b.counts.reopened > 0)
        .collect();
    bodies.sort_by(|x, y| {
        (y.counts.overdue + y.counts.reopened).cmp(&(x.counts.overdue + x.counts.reopened))
    });
    for (i, b) in bodies.iter().enumerate() {
        let row = 3 + i as u32;
        sheet.write_string(row, 0, &b.name)?;
        sheet.write_number(row, 1, b.counts.cases as f64)?;
        sheet.write_number(row, 2, b.counts.overdue as f64)?;
        let share = (b.counts.cases > 0).then(|| b.counts.overdue as f64 / b.counts.cases as f64);
        write_share(sheet, row, 3, share, &f)?;
        sheet.write_number(row, 4, b.counts.reopened as f64)?;
        sheet.write_number(row, 5, b.counts.invalid_returns as f64)?;
    }

    // 5. Hot issues.
    let sheet = book.add_worksheet().set_name("热点问题")?;
    let columns = [
        ("序号", 6.0),
        ("问题", 40.0),
        ("地点", 20.0),
        ("诉求数", 8.0),
        ("诉求人数", 10.0),
        ("热度", 8.0),
        ("关键词", 30.0),
    ];
    header(
        sheet,
        &f,
        &format!("{}热点问题", report.month.label()),
        &columns,
    )?;
    for (i, g) in report.hot.iter().enumerate() {
        let row = 3 + i as u32;
        sheet.write_number(row, 0, (i + 1) as f64)?;
        sheet.write_string(row, 1, &g.description)?;
        sheet.write_string(row, 2, &g.place)?;
        sheet.write_number(row, 3, g.count as f64)?;
        sheet.write_number(row, 4, g.users as f64)?;
        sheet.write_number_with_format(row, 5, g.heat, &f.number)?;
        sheet.write_string(row, 6, g.keywords.join("、"))?;
    }

    // 6. The weakest replies (答复评价): the month's lowest overall scores.
    let sheet = book.add_worksheet().set_name(WEAKEST_REPLIES_SHEET)?;
    let columns = [
        ("受理编号", 16.0),
        ("单位", 26.0),
        ("答复评分", 10.0),
        ("主要缺失", 40.0),
    ];
    header(sheet, &f, "答复质量最弱的答复", &columns)?;
    if report.weakest.is_empty() {
        sheet.write_string(3, 0, "本月没有评分的答复")?;
    }
    for (i, w) in report.weakest.iter().enumerate() {
        let row = 3 + i as u32;
        sheet.write_string(row, 0, &w.number)?;
        sheet.write_string(row, 1, &w.body)?;
        sheet.write_number_with_format(row, 2, w.overall, &f.number)?;
        sheet.write_string(row, 3, w.gaps.join("；"))?;
    }

    book.save_to_buffer()
}
