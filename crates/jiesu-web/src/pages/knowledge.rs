//! The knowledge base pages (知识库): every staff user searches the valid articles; admins
//! also see expired ones and write articles (create and edit) on `/admin/knowledge`.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::Response;
use chrono::NaiveDate;
use jiesu_domain::DomainError;
use jiesu_domain::knowledge::{Article, ArticleDraft};
use jiesu_domain::user::Role;
use jiesu_store::Page;
use serde::Deserialize;

use super::support::today;
use super::{PageError, Shell, encode, redirect, render, render_form};
use crate::extract::CurrentUser;
use crate::state::AppState;

/// Articles listed per page.
const SHOWN: i64 = 100;

/// An article as listed.
pub struct Item {
    pub id: i64,
    pub question: String,
    pub answer: String,
    pub category: String,
    pub valid: String,
    pub source: String,
    pub expired: bool,
}

fn date(d: Option<NaiveDate>) -> String {
    d.map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

fn item(a: Article, on: NaiveDate) -> Item {
    let shown = |d: Option<NaiveDate>, none: &str| {
        d.map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_else(|| none.into())
    };
    let valid = match (a.draft.valid_from, a.draft.valid_to) {
        (None, None) => "长期有效".to_string(),
        (from, to) => format!("{} 至 {}", shown(from, "不限"), shown(to, "长期")),
    };
    Item {
        id: a.id,
        expired: !a.draft.is_valid_on(on),
        question: a.draft.question,
        answer: a.draft.answer,
        category: a.draft.category.unwrap_or_default(),
        valid,
        source: a.draft.source,
    }
}

/// The matching articles: only those valid today unless `all`.
async fn find(state: &AppState, words: &str, all: bool) -> Result<Vec<Item>, PageError> {
    let on = today();
    let found = state
        .store
        .find_articles(words.trim(), Page::new(0, SHOWN))
        .await?;
    Ok(found
        .into_iter()
        .map(|a| item(a, on))
        .filter(|i| all || !i.expired)
        .collect())
}

#[derive(Template)]
#[template(path = "knowledge.html")]
struct KnowledgePage {
    shell: Shell,
    q: String,
    /// `q` percent-encoded for the links.
    q_link: String,
    all: bool,
    is_admin: bool,
    items: Vec<Item>,
}

#[derive(Deserialize, Default)]
pub struct KnowledgeQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    all: String,
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<KnowledgeQuery>,
) -> Result<Response, PageError> {
    let is_admin = user.0.role == Role::Admin;
    let all = is_admin && query.all == "1";
    let items = find(&state, &query.q, all).await?;
    Ok(render(&KnowledgePage {
        shell: Shell::load(&state, &user.0, "知识库", "/knowledge").await,
        q_link: encode(&query.q),
        q: query.q,
        all,
        is_admin,
        items,
    }))
}

// ---------- admin ----------

/// The article form's fields, as typed.
#[derive(Deserialize, Default)]
pub struct ArticleForm {
    /// Empty: a new article.
    #[serde(default)]
    id: String,
    #[serde(default)]
    question: String,
    #[serde(default)]
    answer: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    valid_from: String,
    #[serde(default)]
    valid_to: String,
    #[serde(default)]
    source: String,
}

#[derive(Template)]
#[template(path = "admin_knowledge.html")]
struct AdminKnowledgePage {
    shell: Shell,
    form: ArticleForm,
    error: Option<String>,
    categories: Vec<String>,
    items: Vec<Item>,
}

#[derive(Deserialize, Default)]
pub struct AdminQuery {
    #[serde(default)]
    edit: Option<i64>,
    #[serde(default)]
    ok: Option<String>,
}

async fn admin_page(
    state: &AppState,
    user: &CurrentUser,
    form: ArticleForm,
    error: Option<String>,
    notice: Option<String>,
) -> Result<Response, PageError> {
    let items = find(state, "", true).await?;
    let shell = Shell::load(state, &user.0, "知识库维护", "/admin/knowledge")
        .await
        .with_notice(notice);
    let invalid = error.is_some();
    Ok(render_form(
        &AdminKnowledgePage {
            shell,
            form,
            error,
            categories: state
                .taxonomy()
                .first_levels()
                .into_iter()
                .map(str::to_string)
                .collect(),
            items,
        },
        invalid,
    ))
}

pub async fn admin(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<AdminQuery>,
) -> Result<Response, PageError> {
    let form = match query.edit {
        Some(id) => {
            let a = state
                .store
                .article(id)
                .await
                .map_err(|e| PageError::from(e).back("/admin/knowledge"))?;
            ArticleForm {
                id: a.id.to_string(),
                valid_from: date(a.draft.valid_from),
                valid_to: date(a.draft.valid_to),
                question: a.draft.question,
                answer: a.draft.answer,
                category: a.draft.category.unwrap_or_default(),
                source: a.draft.source,
            }
        }
        None => ArticleForm::default(),
    };
    admin_page(&state, &user, form, None, query.ok).await
}

/// The Chinese name of an article field.
fn field_label(field: &str) -> &'static str {
    match field {
        "question" => "问题",
        "answer" => "答复内容",
        "category" => "分类",
        "valid_from" => "生效日期",
        "valid_to" => "失效日期",
        "source" => "政策依据",
        _ => "内容",
    }
}

/// The draft of a typed form, or what is wrong with it (in Chinese).
fn draft_of(form: &ArticleForm) -> Result<ArticleDraft, String> {
    let day = |text: &str, field: &str| -> Result<Option<NaiveDate>, String> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| format!("「{}」应为 年-月-日，如 2026-01-31。", field_label(field)))
    };
    let draft = ArticleDraft {
        question: form.question.clone(),
        answer: form.answer.clone(),
        category: Some(form.category.trim().to_string()).filter(|c| !c.is_empty()),
        valid_from: day(&form.valid_from, "valid_from")?,
        valid_to: day(&form.valid_to, "valid_to")?,
        source: form.source.clone(),
    };
    draft.validated().map_err(|e| match e {
        DomainError::InvalidField { field, reason } => {
            format!("「{}」填写有误：{reason}", field_label(field))
        }
        other => other.to_string(),
    })
}

pub async fn save(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<ArticleForm>,
) -> Result<Response, PageError> {
    let id = match form.id.trim() {
        "" => None,
        text => Some(
            text.parse::<i64>()
                .map_err(|_| PageError::invalid("文章编号无效。").back("/admin/knowledge"))?,
        ),
    };
    let draft = match draft_of(&form) {
        Ok(draft) => draft,
        Err(message) => return admin_page(&state, &user, form, Some(message), None).await,
    };
    let now = chrono::Utc::now();
    let back = |e| PageError::from(e).back("/admin/knowledge");
    let notice = match id {
        Some(id) => {
            state
                .store
                .update_article(id, &draft, now)
                .await
                .map_err(back)?;
            format!("已保存知识 #{id}")
        }
        None => {
            let a = state
                .store
                .create_article(&draft, now)
                .await
                .map_err(back)?;
            format!("已新增知识 #{}", a.id)
        }
    };
    Ok(redirect(&format!(
        "/admin/knowledge?ok={}",
        encode(&notice)
    )))
}
