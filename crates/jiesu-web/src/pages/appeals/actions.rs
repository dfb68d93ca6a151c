//! The action forms of an appeal page post here (办理操作): each form becomes the event it
//! asks for and goes through the same workflow as the API.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::NaiveDate;
use jiesu_app::AppError;
use jiesu_app::returns::{Redispatch, ReturnJudgement};
use jiesu_domain::DomainError;
use jiesu_domain::action::Action;
use jiesu_domain::category::CategoryPath;
use jiesu_domain::event::{EventKind, Satisfaction};
use jiesu_domain::ids::BodyId;

use super::detail::{Refusal, show};
use super::visible;
use crate::extract::CurrentUser;
use crate::pages::{PageError, encode, home, redirect};
use crate::state::AppState;
use crate::uploads::FormWithFiles;

/// The fields of an action form, as posted (repeated keys kept, e.g. several co-bodies).
#[derive(Default)]
pub struct Fields(Vec<(String, String)>);

impl Fields {
    pub fn get(&self, key: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }

    pub fn all(&self, key: &str) -> impl Iterator<Item = &str> {
        self.0
            .iter()
            .filter(move |(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    fn yes(&self, key: &str) -> bool {
        matches!(self.get(key), "yes" | "true" | "on" | "1")
    }

    fn text(&self, key: &str) -> String {
        self.get(key).trim().to_string()
    }
}

/// What is wrong with a form, in the operator's words, and the field it concerns (its form
/// name; empty for the form as a whole).
pub struct Wrong {
    pub field: &'static str,
    pub message: String,
}

fn wrong(field: &'static str, message: impl Into<String>) -> Wrong {
    Wrong {
        field,
        message: message.into(),
    }
}

/// What the forms call a field, for the domain's messages that name it by its API name.
fn field_label(field: &str) -> &'static str {
    match field {
        "reason" => "理由",
        "note" => "说明",
        "text" => "内容",
        "answer" => "答复内容",
        "until" => "延期日期",
        "reply_by" => "督办回复期限",
        "category" => "分类",
        _ => "填写内容",
    }
}

impl From<DomainError> for Wrong {
    fn from(e: DomainError) -> Wrong {
        match e {
            DomainError::InvalidField { field, reason } => {
                let label = field_label(field);
                let message = if reason.starts_with("不能") || reason.starts_with("含有") {
                    format!("{label}{reason}。")
                } else {
                    format!("{reason}。")
                };
                wrong(field, message)
            }
            other => wrong("", format!("{other}。")),
        }
    }
}

fn body_id(field: &'static str, text: &str) -> Result<BodyId, Wrong> {
    text.trim()
        .parse()
        .map(BodyId)
        .map_err(|_| wrong(field, "请选择承办单位。"))
}

fn date(f: &Fields, key: &'static str, missing: &str) -> Result<NaiveDate, Wrong> {
    NaiveDate::parse_from_str(f.get(key).trim(), "%Y-%m-%d").map_err(|_| wrong(key, missing))
}

/// Whether the appeal page has a form for `action`: 上报 is the API's, the rating is the
/// citizen's (on the portal), following a lead and automatic reminders the system's.
pub(super) fn has_form(action: Action) -> bool {
    !matches!(
        action,
        Action::Escalate | Action::Rate | Action::FollowLead | Action::AutoRemind
    )
}

/// The callback's answer as the citizen gave it: both questions must be answered, nothing
/// is assumed.
fn callback(f: &Fields) -> Result<EventKind, Wrong> {
    let solved = match f.get("solved") {
        "yes" => true,
        "no" => false,
        _ => return Err(wrong("solved", "请选择市民反映的问题是否已解决。")),
    };
    let satisfaction = match f.get("satisfaction").trim() {
        "" => return Err(wrong("satisfaction", "请选择市民的满意度。")),
        label => Satisfaction::parse(label)?,
    };
    Ok(EventKind::Callback {
        solved,
        satisfaction,
        note: f.text("note"),
    })
}

/// The bodies and category a dispatch form (or an approved return's re-dispatch) names.
fn redispatch(state: &AppState, f: &Fields) -> Result<Redispatch, Wrong> {
    let lead = body_id("lead", f.get("lead"))?;
    let co = f
        .all("co")
        .filter(|s| !s.is_empty())
        .map(|b| body_id("co", b))
        .collect::<Result<Vec<_>, _>>()?;
    let category = match f.get("category") {
        "" | "-" => None,
        c => Some(CategoryPath::parse(c)?),
    };
    if let Some(c) = &category {
        state.taxonomy().check(c)?;
    }
    Ok(Redispatch {
        lead,
        co: co.into_iter().filter(|b| *b != lead).collect(),
        note: f.text("note"),
        category,
    })
}

/// A return's judgement (退单审核): an approval names where the appeal goes now.
fn judgement(state: &AppState, f: &Fields) -> Result<ReturnJudgement, Wrong> {
    let approved = f.yes("approve");
    Ok(ReturnJudgement {
        approved,
        reason: f.text("reason"),
        redispatch: if approved {
            Some(redispatch(state, f)?)
        } else {
            None
        },
    })
}

/// Turns a posted form into the event it asks for.
async fn kind_of(state: &AppState, action: Action, f: &Fields) -> Result<EventKind, Wrong> {
    Ok(match action {
        Action::AnswerDirectly => EventKind::AnswerDirectly {
            answer: f.text("answer"),
            article: None,
        },
        Action::Dispatch => redispatch(state, f)?.into_event(),
        Action::Merge => {
            let into = f.text("into");
            let id = match state.store.appeal_by_number(&into).await {
                Ok((a, _)) => a.id,
                Err(_) if into.is_empty() => return Err(wrong("into", "请填写主诉求的受理编号。")),
                Err(_) => {
                    return Err(wrong("into", format!("找不到编号为「{into}」的诉求。")));
                }
            };
            EventKind::Merge {
                into: id,
                note: f.text("note"),
            }
        }
        Action::Unmerge => EventKind::Unmerge {
            reason: f.text("reason"),
        },
        Action::Recall => EventKind::Recall {
            reason: f.text("reason"),
        },
        Action::Sign => EventKind::Sign,
        Action::JudgeReturn => EventKind::JudgeReturn {
            approved: f.yes("approve"),
            reason: f.text("reason"),
        },
        Action::CoOpinion => EventKind::CoOpinion {
            text: f.text("text"),
        },
        Action::SuperviseReply => EventKind::SuperviseReply {
            text: f.text("text"),
        },
        Action::Unflag => EventKind::Unflag {
            reason: f.text("reason"),
        },
        Action::Return => EventKind::Return {
            reason: f.text("reason"),
        },
        Action::RequestExtension => EventKind::RequestExtension {
            reason: f.text("reason"),
            until: date(f, "until", "请填写延期至的日期。")?,
        },
        Action::DecideExtension => EventKind::DecideExtension {
            approve: f.yes("approve"),
            note: f.text("note"),
        },
        Action::Reply => EventKind::Reply {
            text: f.text("text"),
        },
        Action::Review => EventKind::Review {
            approve: f.yes("approve"),
            reason: f.text("reason"),
        },
        Action::Callback => callback(f)?,
        Action::CallbackUnreached => EventKind::CallbackUnreached {
            note: f.text("note"),
        },
        Action::Close => EventKind::Close {
            note: f.text("note"),
        },
        Action::Reopen => EventKind::Reopen {
            reason: f.text("reason"),
        },
        Action::Archive => EventKind::Archive,
        Action::Comment => EventKind::Comment {
            text: f.text("text"),
        },
        Action::Contact => EventKind::Contact {
            note: f.text("note"),
        },
        Action::Pause => EventKind::Pause {
            reason: f.text("reason"),
        },
        Action::Resume => EventKind::Resume {
            note: f.text("note"),
        },
        Action::Remind => EventKind::Remind {
            note: f.text("note"),
            auto: None,
        },
        Action::Supervise => EventKind::Supervise {
            note: f.text("note"),
            reply_by: date(f, "reply_by", "请填写督办回复日期。")?,
        },
        Action::Flag => EventKind::Flag {
            note: f.text("note"),
        },
        // No form: the same as `has_form` names.
        Action::Escalate | Action::Rate | Action::FollowLead | Action::AutoRemind => {
            return Err(wrong("", "未知的操作。"));
        }
    })
}

/// How a refusal of the workflow is shown: the page again with the form as typed and the
/// message beside it, but for a conflict (the appeal changed since the form was shown),
/// which keeps the 409 page asking to reload.
fn refusal_of(e: AppError) -> Result<(StatusCode, Wrong), AppError> {
    match e {
        AppError::Domain(d @ DomainError::InvalidField { .. }) => {
            Ok((StatusCode::UNPROCESSABLE_ENTITY, d.into()))
        }
        AppError::Domain(d @ DomainError::Refused(_)) => Ok((StatusCode::FORBIDDEN, d.into())),
        other => Err(other),
    }
}

/// Every lifecycle form posts here: the same workflow as the API, with the version the form
/// was rendered with, then back to the appeal. A refused form comes back as typed with the
/// message beside it; a stale one gets the 409 page.
pub async fn act(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    FormWithFiles(pairs, files): FormWithFiles<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let back = format!("/appeals/{id}");
    let bodies = state.store.bodies().await?;
    let appeal = visible(&state, &user.0, id, &bodies).await?;
    let typed = Fields(pairs);
    let version = typed.get("version").parse::<i64>().ok();
    let Some(action) = Action::from_code(typed.get("action")).filter(|a| has_form(*a)) else {
        return Err(PageError::invalid("未知的操作。").back(back));
    };
    let refused = |status, wrong: Wrong, typed| Refusal {
        status,
        action,
        field: wrong.field,
        message: wrong.message,
        typed,
    };
    let kind = match kind_of(&state, action, &typed).await {
        Ok(kind) => kind,
        Err(w) => {
            let r = refused(StatusCode::UNPROCESSABLE_ENTITY, w, typed);
            return show(&state, &user, id, None, Some(r)).await;
        }
    };
    let label = kind.label();
    let done = if matches!(kind, EventKind::JudgeReturn { .. }) {
        match judgement(&state, &typed) {
            Ok(judgement) => state
                .judge_return(appeal.id, judgement, &user.actor(), version)
                .await
                .map(|_| ()),
            Err(w) => {
                let r = refused(StatusCode::UNPROCESSABLE_ENTITY, w, typed);
                return show(&state, &user, id, None, Some(r)).await;
            }
        }
    } else {
        state
            .act_with_files(appeal.id, kind, &user.actor(), version, files)
            .await
            .map(|_| ())
    };
    match done {
        Ok(()) => {
            home::invalidate();
            Ok(redirect(&format!(
                "{back}?ok={}",
                encode(&format!("已{label}"))
            )))
        }
        Err(e) => match refusal_of(e) {
            Ok((status, w)) => show(&state, &user, id, None, Some(refused(status, w, typed))).await,
            Err(e) => Err(PageError::from(e).back(back)),
        },
    }
}
