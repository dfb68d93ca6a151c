//! `jiesu tasks show|report|review|close`: an operator follows a live task from the shell,
//! acting as a named user (their role and body decide what they may do, as on the pages).

use anyhow::{Context, Result};
use chrono::Utc;
use jiesu_app::tasks::follow;
use jiesu_domain::task::ReportDraft;
use jiesu_domain::user::User;
use jiesu_store::Store;

/// The `--map 名称=编号` and `--lead 任务=单位,…` options of `jiesu tasks publish`.
pub fn mapping(names: &[String], leads: &[String]) -> Result<jiesu_app::tasks::BodyMapping> {
    let id = |text: &str, what: &str| -> Result<i64> {
        text.trim()
            .parse()
            .map_err(|_| anyhow::anyhow!("{what}「{text}」不是编号"))
    };
    let mut out = jiesu_app::tasks::BodyMapping::default();
    for item in names {
        let (name, body) = item
            .split_once('=')
            .with_context(|| format!("--map「{item}」应写作 名称=单位编号"))?;
        let body = match body.trim() {
            "" => None,
            b => Some(jiesu_domain::ids::BodyId(id(b, "单位编号")?)),
        };
        out.names.insert(name.trim().to_string(), body);
    }
    for item in leads {
        let (task, bodies) = item
            .split_once('=')
            .with_context(|| format!("--lead「{item}」应写作 任务编号=单位编号"))?;
        let bodies = bodies
            .split(',')
            .map(|b| id(b, "单位编号").map(jiesu_domain::ids::BodyId))
            .collect::<Result<Vec<_>>>()?;
        out.leads.insert(id(task, "任务编号")?, bodies);
    }
    Ok(out)
}

/// The Chinese message of an application error (the same wording as the API's).
fn chinese(e: jiesu_app::AppError) -> anyhow::Error {
    anyhow::anyhow!(jiesu_web::error::describe(&e).message)
}

/// The user an operator acts as.
async fn user(store: &dyn Store, username: &str) -> Result<User> {
    store
        .users()
        .await?
        .into_iter()
        .find(|u| u.username == username)
        .with_context(|| format!("用户「{username}」不存在"))
}

/// Prints a task with its milestones, reports and alerts.
pub async fn show(id: i64, db: &str) -> Result<()> {
    let store = crate::backend::open(db).await?;
    let calendar = jiesu_app::settings::stored::calendar(store.as_ref()).await?;
    let view = follow::view(store.as_ref(), &calendar, id, Utc::now())
        .await
        .map_err(chinese)?;
    let bodies = store.bodies().await?;
    let names = |ids: &[jiesu_domain::ids::BodyId]| {
        ids.iter()
            .filter_map(|id| bodies.iter().find(|b| b.id == *id).map(|b| b.name.clone()))
            .collect::<Vec<_>>()
            .join("、")
    };
    let d = &view.task.draft;
    println!(
        "任务 {id}\t{} {}\t{}",
        d.number,
        d.title,
        view.status.label()
    );
    println!("来源文件\t{}", d.document);
    println!("牵头单位\t{}", names(&view.standing.lead));
    println!("责任单位\t{}", names(&view.standing.co));
    println!(
        "完成期限\t{}\t报送周期\t{}\t时限\t{}",
        d.due.map_or_else(|| "—".to_string(), |d| d.to_string()),
        d.cadence.label(),
        follow::shown_timing(&view).label()
    );
    for m in &view.milestones {
        println!(
            "节点\t{}\t{}\t{}",
            m.milestone.due, m.milestone.expected, m.state
        );
    }
    for r in &view.reports {
        println!(
            "报送 {}\t{}\t{}%\t{}\t{}",
            r.id,
            r.author,
            r.report.percent,
            r.report.text,
            r.review.label()
        );
    }
    for a in &view.alerts {
        println!("提醒\t{}", a.message);
    }
    if !view.standing.close_note.is_empty() {
        println!("销号说明\t{}", view.standing.close_note);
    }
    Ok(())
}

/// A progress report on a task, as `username`.
pub async fn report(
    id: i64,
    username: &str,
    text: String,
    percent: u8,
    attachments: Vec<String>,
    milestone: Option<i64>,
    db: &str,
) -> Result<()> {
    let store = crate::backend::open(db).await?;
    let user = user(store.as_ref(), username).await?;
    let calendar = jiesu_app::settings::stored::calendar(store.as_ref()).await?;
    let draft = ReportDraft {
        text,
        percent,
        attachments,
        milestone,
    };
    let report = follow::report(store.as_ref(), &calendar, &user, id, draft, Utc::now())
        .await
        .map_err(chinese)?;
    println!("已报送进展（编号 {report}），等待督查室审核");
    Ok(())
}

/// The office's review of a report, as `username`.
pub async fn review(
    report: i64,
    username: &str,
    send_back: Option<String>,
    db: &str,
) -> Result<()> {
    let store = crate::backend::open(db).await?;
    let user = user(store.as_ref(), username).await?;
    let accept = send_back.is_none();
    let reason = send_back.unwrap_or_default();
    follow::review(store.as_ref(), &user, report, accept, &reason, Utc::now())
        .await
        .map_err(chinese)?;
    println!("{}", if accept { "已采纳" } else { "已退回" });
    Ok(())
}

/// 销号, as `username`.
pub async fn close(id: i64, username: &str, note: &str, db: &str) -> Result<()> {
    let store = crate::backend::open(db).await?;
    let user = user(store.as_ref(), username).await?;
    follow::close(store.as_ref(), &user, id, note, Utc::now())
        .await
        .map_err(chinese)?;
    println!("任务 {id} 已销号");
    Ok(())
}

/// 督办, as `username` (the supervision office).
pub async fn urge(id: i64, username: &str, note: &str, db: &str) -> Result<()> {
    let store = crate::backend::open(db).await?;
    let user = user(store.as_ref(), username).await?;
    let urge = jiesu_app::tasks::remind::urge(store.as_ref(), &user, id, note, Utc::now())
        .await
        .map_err(chinese)?;
    println!("已督办任务 {id}（督办记录 {urge}）");
    Ok(())
}

/// Prints the reminders `username` reads, newest first.
pub async fn reminders(username: &str, db: &str) -> Result<()> {
    let store = crate::backend::open(db).await?;
    let user = user(store.as_ref(), username).await?;
    let (lines, attention) = jiesu_app::tasks::remind::reminders(store.as_ref(), &user)
        .await
        .map_err(chinese)?;
    println!("临期或超期的任务：{attention} 项");
    for r in lines {
        let kind = match r.kind {
            jiesu_store::ReminderKind::Alert => {
                jiesu_domain::task::Timing::from_code(r.timing).label()
            }
            jiesu_store::ReminderKind::Urge => "督办",
        };
        println!(
            "{}\t{kind}\t任务 {}「{}」\t{}",
            jiesu_domain::deadline::china_local(r.created_at).format("%Y-%m-%d %H:%M"),
            r.task,
            r.title,
            r.message
        );
    }
    Ok(())
}
