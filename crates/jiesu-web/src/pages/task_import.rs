//! The task import page (`/tasks/import`, 文件导入): the supervision office pastes or uploads
//! a policy document's plain text with its year, reads the drafts it proposes (section,
//! number, title, lead and co-bodies as written, due, text), maps every body name jiesu does
//! not know to a known body, edits or discards rows and publishes. Drafts stay until
//! published or discarded, so meeting issues whose lead body is unknown (待指定后发布) are
//! mapped and published here too. The forms call `jiesu_app::tasks` and redirect back.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use chrono::{Datelike, NaiveDate, Utc};
use jiesu_app::tasks::drafts::{self, Drafts};
use jiesu_app::tasks::{BodyMapping, import_drafts, propose, publish_with_bodies};
use jiesu_domain::DomainError;
use jiesu_domain::deadline::china_local;
use jiesu_domain::ids::BodyId;
use jiesu_domain::task::{Cadence, TaskDraft};
use serde::Deserialize;

use super::support::{BodyOpt, Opt, body_options, options};
use super::{PageError, Shell, encode, redirect, render};
use crate::extract::CurrentUser;
use crate::state::AppState;

/// One draft's row as written.
pub struct DraftRow {
    pub id: i64,
    pub document: String,
    pub section: String,
    pub number: String,
    pub title: String,
    pub lead: String,
    pub co: String,
    pub due: String,
    pub text: String,
    /// Its text names no lead body: the supervisor picks one.
    pub needs_lead: bool,
}

#[derive(Template)]
#[template(path = "tasks_import.html")]
struct ImportPage {
    shell: Shell,
    document: String,
    documents: Vec<Opt>,
    rows: Vec<DraftRow>,
    unknown: Vec<String>,
    bodies: Vec<BodyOpt>,
    this_year: i32,
}

#[derive(Deserialize, Default)]
pub struct ImportQuery {
    #[serde(default)]
    document: Option<String>,
    #[serde(default)]
    ok: Option<String>,
}

fn this_year() -> i32 {
    china_local(Utc::now()).date().year()
}

fn back_to(document: &str, done: &str) -> Response {
    redirect(&format!(
        "/tasks/import?document={}&ok={}",
        encode(document),
        encode(done)
    ))
}

fn invalid(field: &'static str, reason: &str) -> PageError {
    PageError::from(jiesu_app::AppError::from(DomainError::InvalidField {
        field,
        reason: reason.into(),
    }))
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<ImportQuery>,
) -> Result<Response, PageError> {
    let document = q.document.unwrap_or_default();
    let all = drafts::drafts(state.store.as_ref(), None).await?;
    let mut titles: Vec<&str> = Vec::new();
    for t in &all.tasks {
        if !titles.contains(&t.draft.document.as_str()) {
            titles.push(&t.draft.document);
        }
    }
    let documents = options(
        std::iter::once(("", "全部文件")).chain(titles.iter().map(|t| (*t, *t))),
        &document,
    );
    let Drafts {
        tasks,
        unknown_bodies,
    } = if document.is_empty() {
        all.clone()
    } else {
        drafts::drafts(state.store.as_ref(), Some(&document)).await?
    };
    let rows = tasks
        .into_iter()
        .map(|t| DraftRow {
            id: t.id,
            needs_lead: t.draft.lead_bodies.is_empty(),
            lead: t.draft.lead_bodies.join("、"),
            co: t.draft.co_bodies.join("、"),
            due: t.draft.due.map(|d| d.to_string()).unwrap_or_default(),
            document: t.draft.document,
            section: t.draft.section,
            number: t.draft.number,
            title: t.draft.title,
            text: t.draft.text,
        })
        .collect();
    let bodies = state.store.bodies().await?;
    Ok(render(&ImportPage {
        shell: Shell::load(&state, &user.0, "文件导入与任务发布", "/tasks")
            .await
            .with_notice(q.ok),
        document,
        documents,
        rows,
        unknown: unknown_bodies,
        bodies: body_options(&bodies, None),
        this_year: this_year(),
    }))
}

#[derive(Deserialize)]
pub struct ImportForm {
    document: String,
    #[serde(default)]
    year: String,
    text: String,
}

pub async fn import(
    State(state): State<AppState>,
    Form(form): Form<ImportForm>,
) -> Result<Response, PageError> {
    let back = |e: PageError| e.back("/tasks/import");
    let document = form.document.trim().to_string();
    if document.is_empty() {
        return Err(back(invalid("document", "请填写文件名称")));
    }
    let year = match form.year.trim() {
        "" => None,
        y => Some(
            y.parse::<i32>()
                .map_err(|_| back(invalid("year", "年份须为四位数字")))?,
        ),
    };
    let (_, tasks) = propose(&form.text, year, this_year()).map_err(|e| back(e.into()))?;
    let imported = import_drafts(state.store.as_ref(), &document, &tasks, Utc::now())
        .await
        .map_err(|e| back(e.into()))?;
    let mut done = format!("已导入 {} 项任务草稿", imported.ids.len());
    if !imported.unknown_bodies.is_empty() {
        done = format!("{done}，{} 个单位名称待对应", imported.unknown_bodies.len());
    }
    Ok(back_to(&document, &done))
}

/// The publish form: `id` for each row published, `map:NAME` for each unknown name (a body
/// id, `none` to leave the name out, empty for undecided), `lead:ID` for a row without lead.
pub async fn publish(
    State(state): State<AppState>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let document = fields
        .iter()
        .find(|(k, _)| k == "document")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let back_url = format!("/tasks/import?document={}", encode(&document));
    let back = |e: PageError| e.back(back_url.clone());
    let mut ids = Vec::new();
    let mut mapping = BodyMapping::default();
    for (key, value) in &fields {
        let value = value.trim();
        if key == "id" {
            ids.push(
                value
                    .parse::<i64>()
                    .map_err(|_| back(invalid("id", "草稿编号不正确")))?,
            );
        } else if let Some(name) = key.strip_prefix("map:") {
            match value {
                "" => {}
                "none" => {
                    mapping.names.insert(name.to_string(), None);
                }
                id => {
                    let id = id
                        .parse()
                        .map_err(|_| back(invalid("map", "单位编号不正确")))?;
                    mapping.names.insert(name.to_string(), Some(BodyId(id)));
                }
            }
        } else if let Some(task) = key.strip_prefix("lead:")
            && !value.is_empty()
        {
            let task = task
                .parse()
                .map_err(|_| back(invalid("lead", "草稿编号不正确")))?;
            let body = value
                .parse()
                .map_err(|_| back(invalid("lead", "单位编号不正确")))?;
            mapping.leads.insert(task, vec![BodyId(body)]);
        }
    }
    if ids.is_empty() {
        return Err(back(invalid("id", "请至少勾选一项要发布的草稿")));
    }
    // Only the rows ticked count: a lead picked for an unticked row is not a mistake.
    mapping.leads.retain(|task, _| ids.contains(task));
    let published = publish_with_bodies(state.store.as_ref(), &ids, &mapping, Utc::now())
        .await
        .map_err(|e| back(e.into()))?;
    Ok(back_to(&document, &format!("已发布 {published} 项任务")))
}

#[derive(Template)]
#[template(path = "task_draft.html")]
struct DraftPage {
    shell: Shell,
    id: i64,
    draft: TaskDraft,
    lead: String,
    co: String,
    due: String,
    cadences: Vec<Opt>,
}

/// Reporting cadences offered on the draft form, with the draft's own when it is another.
fn cadence_options(current: &Cadence) -> Vec<Opt> {
    let mut offered: Vec<Cadence> = ["none", "monthly:28", "monthly:25", "quarterly:20"]
        .iter()
        .filter_map(|k| Cadence::parse(k).ok())
        .collect();
    if !offered.contains(current) {
        offered.push(*current);
    }
    let pairs: Vec<(String, String)> = offered.iter().map(|c| (c.keyword(), c.label())).collect();
    options(
        pairs.iter().map(|(k, l)| (k.as_str(), l.as_str())),
        &current.keyword(),
    )
}

pub async fn draft_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let task = state.store.task(id).await?;
    if task.published_at.is_some() {
        return Ok(redirect(&format!("/tasks/{id}")));
    }
    let draft = task.draft;
    Ok(render(&DraftPage {
        shell: Shell::load(
            &state,
            &user.0,
            format!("修改草稿 · {}", draft.title),
            "/tasks",
        )
        .await,
        id,
        lead: draft.lead_bodies.join("、"),
        co: draft.co_bodies.join("、"),
        due: draft.due.map(|d| d.to_string()).unwrap_or_default(),
        cadences: cadence_options(&draft.cadence),
        draft,
    }))
}

#[derive(Deserialize)]
pub struct DraftForm {
    document: String,
    #[serde(default)]
    section: String,
    #[serde(default)]
    number: String,
    title: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    lead: String,
    #[serde(default)]
    co: String,
    #[serde(default)]
    due: String,
    #[serde(default)]
    cadence: String,
}

/// Body names as typed: separated by 、 , ， ; ； or new lines.
fn names(text: &str) -> Vec<String> {
    text.split(['、', ',', '，', ';', '；', '\n'])
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .collect()
}

pub async fn edit(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Form(form): Form<DraftForm>,
) -> Result<Response, PageError> {
    let back = |e: PageError| e.back(format!("/tasks/drafts/{id}"));
    let due = match form.due.trim() {
        "" => None,
        d => Some(
            d.parse::<NaiveDate>()
                .map_err(|_| back(invalid("due", "请填写完成期限（年-月-日）")))?,
        ),
    };
    let cadence = match form.cadence.trim() {
        "" => Cadence::None,
        c => Cadence::parse(c).map_err(|e| back(e.into()))?,
    };
    let draft = TaskDraft {
        document: form.document,
        number: form.number,
        section: form.section,
        title: form.title,
        text: form.text,
        lead_bodies: names(&form.lead),
        co_bodies: names(&form.co),
        due,
        cadence,
    };
    let document = draft.document.trim().to_string();
    drafts::edit_draft(state.store.as_ref(), id, draft)
        .await
        .map_err(|e| back(e.into()))?;
    Ok(back_to(&document, "草稿已修改"))
}

#[derive(Deserialize)]
pub struct DiscardForm {
    #[serde(default)]
    document: String,
}

pub async fn discard(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Form(form): Form<DiscardForm>,
) -> Result<Response, PageError> {
    drafts::discard_draft(state.store.as_ref(), id)
        .await
        .map_err(|e| {
            PageError::from(e).back(format!("/tasks/import?document={}", encode(&form.document)))
        })?;
    Ok(back_to(&form.document, "草稿已删除"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_split_on_chinese_and_latin_separators() {
        assert_eq!(
            names("示范区水务局、示范区园林中心，  \n示范区交通局"),
            ["示范区水务局", "示范区园林中心", "示范区交通局"]
        );
        assert!(names(" 、 ").is_empty());
    }
}
