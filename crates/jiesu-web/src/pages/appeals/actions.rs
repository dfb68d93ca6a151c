//! The action forms of an appeal page post here (办理操作): each form becomes the event it
//! asks for and goes through the same workflow as the API.

use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;
use chrono::NaiveDate;
use jiesu_app::returns::{Redispatch, ReturnJudgement};
use jiesu_domain::action::Action;
use jiesu_domain::category::CategoryPath;
use jiesu_domain::event::{EventKind, Satisfaction};
use jiesu_domain::ids::BodyId;

use super::visible;
use crate::extract::CurrentUser;
use crate::pages::{PageError, encode, home, redirect};
use crate::state::AppState;

/// The fields of an action form, as posted (repeated keys kept, e.g. several co-bodies).
struct Fields(Vec<(String, String)>);

impl Fields {
    fn get(&self, key: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }

    fn all(&self, key: &str) -> impl Iterator<Item = &str> {
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

fn body_id(text: &str) -> Result<BodyId, PageError> {
    text.trim()
        .parse()
        .map(BodyId)
        .map_err(|_| PageError::invalid("请选择承办单位。"))
}

fn date(f: &Fields, key: &str, missing: &str) -> Result<NaiveDate, PageError> {
    NaiveDate::parse_from_str(f.get(key).trim(), "%Y-%m-%d")
        .map_err(|_| PageError::invalid(missing))
}

/// Whether the appeal page has a form for `action`: 办结 and 上报 are the API's, the rating
/// is the citizen's (on the portal), following a lead and automatic reminders the system's.
pub(super) fn has_form(action: Action) -> bool {
    !matches!(
        action,
        Action::Close | Action::Escalate | Action::Rate | Action::FollowLead | Action::AutoRemind
    )
}

/// The bodies and category a dispatch form (or an approved return's re-dispatch) names.
fn redispatch(state: &AppState, f: &Fields) -> Result<Redispatch, PageError> {
    let lead = body_id(f.get("lead"))?;
    let co = f
        .all("co")
        .filter(|s| !s.is_empty())
        .map(body_id)
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
        co,
        note: f.text("note"),
        category,
    })
}

/// A return's judgement (退单审核): an approval names where the appeal goes now.
fn judgement(state: &AppState, f: &Fields) -> Result<ReturnJudgement, PageError> {
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
async fn kind_of(state: &AppState, f: &Fields) -> Result<EventKind, PageError> {
    let unknown = || PageError::invalid("未知的操作。");
    let action = Action::from_code(f.get("action")).ok_or_else(unknown)?;
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
                Err(_) => {
                    return Err(PageError::invalid(format!(
                        "找不到编号为「{into}」的诉求。"
                    )));
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
        Action::Callback => EventKind::Callback {
            solved: f.yes("solved"),
            satisfaction: Satisfaction::parse(f.get("satisfaction"))?,
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
        Action::Close
        | Action::Escalate
        | Action::Rate
        | Action::FollowLead
        | Action::AutoRemind => {
            return Err(unknown());
        }
    })
}

/// Every lifecycle form posts here: the same workflow as the API, with the version the form
/// was rendered with (a stale form gets the 409 page), then back to the appeal.
pub async fn act(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let back = format!("/appeals/{id}");
    let bodies = state.store.bodies().await?;
    let appeal = visible(&state, &user.0, id, &bodies).await?;
    let fields = Fields(pairs);
    let version = fields.get("version").parse::<i64>().ok();
    let kind = kind_of(&state, &fields)
        .await
        .map_err(|e| e.back(back.clone()))?;
    let label = kind.label();
    let done = if matches!(kind, EventKind::JudgeReturn { .. }) {
        let judgement = judgement(&state, &fields).map_err(|e| e.back(back.clone()))?;
        state
            .judge_return(appeal.id, judgement, &user.actor(), version)
            .await
    } else {
        state.act(appeal.id, kind, &user.actor(), version).await
    };
    done.map_err(|e| PageError::from(e).back(back.clone()))?;
    home::invalidate();
    Ok(redirect(&format!(
        "{back}?ok={}",
        encode(&format!("已{label}"))
    )))
}
