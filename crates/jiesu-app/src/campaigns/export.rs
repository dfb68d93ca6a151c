//! The whole campaign as a workbook (导出): the campaign, its ranked groups with their bodies
//! and answers, and every proposal with its group.

use std::collections::HashMap;

use jiesu_domain::deadline::china_local;
use rust_xlsxwriter::{Workbook, Worksheet, XlsxError};

use crate::App;
use crate::error::{AppError, AppResult};

const GROUP_COLUMNS: &[&str] = &[
    "排名",
    "主题",
    "地点",
    "关键词",
    "提出人数",
    "支持数",
    "建议数",
    "答复单位",
    "办理结果",
    "答复意见",
    "任务编号",
];
const PROPOSAL_COLUMNS: &[&str] = &[
    "编号",
    "所属分组排名",
    "标题",
    "内容",
    "主题",
    "地点",
    "渠道",
    "姓名",
    "电话",
    "匿名",
    "支持数",
    "提交时间",
];

fn header(sheet: &mut Worksheet, name: &str, columns: &[&str]) -> Result<(), XlsxError> {
    sheet.set_name(name)?;
    for (c, column) in columns.iter().enumerate() {
        sheet.write_string(0, c as u16, *column)?;
    }
    Ok(())
}

/// Writes one row of strings and numbers (numbers as numbers, for sums in the sheet).
fn row(sheet: &mut Worksheet, r: u32, cells: &[Cell]) -> Result<(), XlsxError> {
    for (c, cell) in cells.iter().enumerate() {
        match cell {
            Cell::Text(t) => sheet.write_string(r, c as u16, t.as_str())?,
            Cell::Number(n) => sheet.write_number(r, c as u16, *n as f64)?,
        };
    }
    Ok(())
}

enum Cell {
    Text(String),
    Number(i64),
}

use Cell::{Number, Text};

impl App {
    /// The campaign `id` as an XLSX workbook.
    pub async fn export_campaign(&self, id: i64) -> AppResult<Vec<u8>> {
        let view = self.campaign_view(id).await?;
        let groups = self.campaign_groups(id).await?;
        let proposals = self.store.proposals(id, None).await?;
        let rank_of: HashMap<i64, i64> = groups.iter().map(|(g, _)| (g.id, g.rank)).collect();
        let x = |e: XlsxError| AppError::Internal(format!("campaign workbook: {e}"));
        let mut book = Workbook::new();
        let d = &view.campaign.draft;
        let sheet = book.add_worksheet();
        header(sheet, "征集活动", &["项目", "内容"]).map_err(x)?;
        let facts = [
            ("标题", d.title.clone()),
            ("说明", d.description.clone()),
            ("征集期", format!("{} 至 {}", d.opens, d.closes)),
            ("状态", view.state.label().to_string()),
            (
                "渠道",
                d.channels
                    .iter()
                    .map(|c| c.label())
                    .collect::<Vec<_>>()
                    .join("、"),
            ),
            ("主题", d.topics.join("、")),
            ("答复单位", d.bodies.join("、")),
            ("建议数", view.proposals.to_string()),
            ("分组数", groups.len().to_string()),
        ];
        for (r, (k, v)) in facts.into_iter().enumerate() {
            row(sheet, r as u32 + 1, &[Text(k.into()), Text(v)]).map_err(x)?;
        }
        let sheet = book.add_worksheet();
        header(sheet, "分组结果", GROUP_COLUMNS).map_err(x)?;
        for (r, (g, body)) in groups.iter().enumerate() {
            let cells = [
                Number(g.rank),
                Text(g.subject.clone()),
                Text(g.place.clone()),
                Text(g.keywords.join("、")),
                Number(g.people),
                Number(g.supports),
                Number(g.size),
                Text(body.clone().unwrap_or_default()),
                Text(
                    g.answer
                        .as_ref()
                        .map(|a| a.outcome.label())
                        .unwrap_or("")
                        .into(),
                ),
                Text(
                    g.answer
                        .as_ref()
                        .map(|a| a.reply.clone())
                        .unwrap_or_default(),
                ),
                Text(g.task.map(|t| t.to_string()).unwrap_or_default()),
            ];
            row(sheet, r as u32 + 1, &cells).map_err(x)?;
        }
        let sheet = book.add_worksheet();
        header(sheet, "建议", PROPOSAL_COLUMNS).map_err(x)?;
        for (r, p) in proposals.iter().enumerate() {
            let rank = p.group.and_then(|g| rank_of.get(&g)).copied();
            let cells = [
                Number(p.id),
                Text(rank.map(|r| r.to_string()).unwrap_or_default()),
                Text(p.draft.title.clone()),
                Text(p.draft.text.clone()),
                Text(p.draft.topic.clone()),
                Text(p.draft.place.clone()),
                Text(p.draft.channel.label().into()),
                Text(p.draft.name.clone()),
                Text(p.draft.phone.clone()),
                Text(if p.draft.anonymous { "是" } else { "否" }.into()),
                Number(p.supports),
                Text(
                    china_local(p.created_at)
                        .format("%Y-%m-%d %H:%M")
                        .to_string(),
                ),
            ];
            row(sheet, r as u32 + 1, &cells).map_err(x)?;
        }
        book.save_to_buffer().map_err(x)
    }
}
