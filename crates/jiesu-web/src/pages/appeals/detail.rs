//! One appeal (诉求详情): its facts, merged appeals, timeline and the action forms the
//! signed-in user may use now — the current step's first and open, the others folded.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{Duration, Utc};
use jiesu_app::visibility::{may_see, redact};
use jiesu_domain::action::Action;
use jiesu_domain::appeal::Appeal;
use jiesu_domain::lifecycle::UNREACHED_BEFORE_CLOSE;

use super::actions::{Fields, has_form};
use super::cooperation::Cooperation;
use super::decide::{Candidate, Suggestion, candidates, suggestion};
use super::reply_review::{ReplyReviewPanel, panel};
use super::timeline::{Step, steps};
use super::visible;
use crate::extract::CurrentUser;
use crate::pages::attachments::AttachmentItem;
use crate::pages::support::{
    BodyOpt, DeadlineBadge, Notice, Opt, beijing, body_name, body_options, fmt_time, options, today,
};
use crate::pages::{PageError, Shell, render};
use crate::state::AppState;

/// A form the server refused (表单退回): shown again as typed, with the message beside the
/// field it concerns (or the form, for `field` empty).
pub struct Refusal {
    pub status: StatusCode,
    pub action: Action,
    pub field: &'static str,
    pub message: String,
    pub typed: Fields,
}

/// Fields whose form shows their message right beside them; other messages go at the top
/// of the form.
const FIELD_SPOTS: &[(Action, &str)] = &[
    (Action::Callback, "solved"),
    (Action::Callback, "satisfaction"),
    (Action::Dispatch, "lead"),
];

/// One action form on the page: the current step's are open, the others folded away.
pub struct Slot {
    pub action: Action,
    pub step: bool,
    /// A folded form opens when it was refused (to show what was typed and why).
    pub open: bool,
}

#[derive(Template)]
#[template(path = "appeal.html")]
struct AppealPage {
    shell: Shell,
    a: Appeal,
    status_code: &'static str,
    deadline: Option<DeadlineBadge>,
    escalated_to: String,
    lead: String,
    co: String,
    category: String,
    merged_into: Option<(i64, String)>,
    /// The service point the appeal names: its id and name.
    point: Option<(i64, String)>,
    followers: Vec<FollowerRow>,
    attachments: Vec<AttachmentItem>,
    created: String,
    updated: String,
    steps: Vec<Step>,
    slots: Vec<Slot>,
    refusal: Option<Refusal>,
    coop: Cooperation,
    bodies: Vec<BodyOpt>,
    co_bodies: Vec<BodyOpt>,
    categories: Vec<Opt>,
    suggestion: Option<Suggestion>,
    candidates: Vec<Candidate>,
    callback_script: String,
    unreached_before_close: u32,
    /// The scores of the reply under review, shown in the review form.
    reply_review: Option<ReplyReviewPanel>,
    today: String,
    tomorrow: String,
}

impl AppealPage {
    /// What was typed into `key` of the refused `action` form (empty otherwise).
    fn kept(&self, action: Action, key: &str) -> &str {
        match &self.refusal {
            Some(r) if r.action == action => r.typed.get(key),
            _ => "",
        }
    }

    /// Whether the refused `action` form had `value` chosen for `key`.
    fn picked(&self, action: Action, key: &str, value: &str) -> bool {
        matches!(&self.refusal, Some(r) if r.action == action && r.typed.all(key).any(|v| v == value))
    }

    /// The message of the refused `action` form for its field `field`.
    fn field_error(&self, action: Action, field: &str) -> Option<&str> {
        match &self.refusal {
            Some(r) if r.action == action && r.field == field => Some(&r.message),
            _ => None,
        }
    }

    /// The message of the refused `action` form that has no place beside a field.
    fn form_error(&self, action: &Action) -> Option<&str> {
        let action = *action;
        match &self.refusal {
            Some(r) if r.action == action && !FIELD_SPOTS.contains(&(action, r.field)) => {
                Some(&r.message)
            }
            _ => None,
        }
    }

    /// The message of a refused form the page no longer shows (the appeal moved on).
    fn lost_error(&self) -> Option<&str> {
        match &self.refusal {
            Some(r) if !self.slots.iter().any(|s| s.action == r.action) => Some(&r.message),
            _ => None,
        }
    }

    /// Whether a folded form other than the note (备注) shows.
    fn any_form(&self) -> bool {
        self.slots.iter().any(|s| s.action != Action::Comment)
    }
}

/// An appeal merged into the one shown (并案诉求).
struct FollowerRow {
    id: i64,
    number: String,
    title: String,
    status_code: &'static str,
    status_label: &'static str,
    /// Whether the user may open it (a handler sees only their bodies' appeals).
    link: bool,
}

pub async fn detail(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Query(n): Query<Notice>,
) -> Result<Response, PageError> {
    show(&state, &user, id, n.ok, None).await
}

/// The page of appeal `id`, with a notice after a success or a refused form to show again.
pub(super) async fn show(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    notice: Option<String>,
    refusal: Option<Refusal>,
) -> Result<Response, PageError> {
    let bodies = state.store.bodies().await?;
    let appeal = visible(state, &user.0, id, &bodies).await?;
    let events = state.store.events(appeal.id).await?;
    let lead_appeal = match appeal.merged_into {
        Some(into) => state.store.appeal(into).await.ok(),
        None => None,
    };
    let merged_into = appeal.merged_into.map(|into| {
        let number = lead_appeal.as_ref().map(|a| a.number.0.clone());
        (into.0, number.unwrap_or_default())
    });
    let followers = state
        .store
        .followers(appeal.id)
        .await?
        .into_iter()
        .map(|f| FollowerRow {
            id: f.id.0,
            link: may_see(&user.0, &bodies, &f),
            number: f.number.0,
            title: f.title,
            status_code: f.status.code(),
            status_label: f.status.label(),
        })
        .collect();
    // A follower was handled by its lead's body.
    let handled_by = lead_appeal
        .as_ref()
        .and_then(|l| l.lead_body)
        .or(appeal.lead_body);
    let actor = user.actor();
    let step = appeal.step_actions(&actor);
    let refused = refusal.as_ref().map(|r| r.action);
    let slots: Vec<Slot> = step
        .iter()
        .copied()
        .chain(
            appeal
                .allowed_actions(&actor)
                .into_iter()
                .filter(|a| has_form(*a) && !step.contains(a)),
        )
        .map(|action| Slot {
            action,
            step: step.contains(&action),
            open: refused == Some(action),
        })
        .collect();
    let dispatching = step.contains(&Action::Dispatch);
    let suggestion = dispatching.then(|| suggestion(state, &appeal, &bodies));
    let candidates = if dispatching && slots.iter().any(|s| s.action == Action::Merge) {
        candidates(state, user, &appeal, &bodies).await?
    } else {
        Vec::new()
    };
    // The dispatch form starts from what was typed, else the suggestion, else what is.
    let typed = |key: &str| {
        refusal
            .as_ref()
            .filter(|r| r.action == Action::Dispatch)
            .map(|r| r.typed.all(key).map(str::to_string).collect::<Vec<_>>())
    };
    let lead = typed("lead")
        .and_then(|v| v.first().and_then(|b| b.parse().ok()))
        .map(jiesu_domain::ids::BodyId)
        .or(suggestion.as_ref().and_then(|s| s.lead))
        .or(appeal.lead_body);
    let co: Vec<i64> = typed("co")
        .map(|v| v.iter().filter_map(|b| b.parse().ok()).collect())
        .unwrap_or_else(|| appeal.co_bodies.iter().map(|b| b.0).collect());
    let category = typed("category")
        .and_then(|v| v.into_iter().next())
        .or(suggestion.as_ref().map(|s| s.category.clone()))
        .unwrap_or_else(|| "-".into());
    let reply_review = if slots.iter().any(|s| s.action == Action::Review) {
        panel(state, appeal.id).await?
    } else {
        None
    };
    let taxonomy = state.taxonomy();
    let mut paths: Vec<String> = taxonomy.leaves().map(|p| p.levels().join("/")).collect();
    if category != "-" && !paths.contains(&category) {
        paths.insert(0, category.clone());
    }
    let keep = [("-", "（不修改分类）")];
    let steps = steps(&events, &bodies);
    let appeal = redact(&user.0, appeal, false);
    let now = Utc::now();
    let callback_script = format!(
        "您好，这里是12345市民服务热线。关于您在 {} 反映的「{}」问题，承办单位{}已经答复。请问您反映的问题是否已经解决？您对办理结果是否满意？",
        appeal
            .created_at
            .with_timezone(&beijing())
            .format("%-m月%-d日"),
        appeal.title,
        body_name(&bodies, handled_by),
    );
    let point = match state.store.point_of_appeal(appeal.id).await? {
        Some(id) => Some((id, state.store.point(id).await?.draft.name)),
        None => None,
    };
    let status = refusal.as_ref().map_or(StatusCode::OK, |r| r.status);
    let page = AppealPage {
        shell: Shell::load(state, &user.0, format!("诉求 {}", appeal.number), "")
            .await
            .with_notice(notice),
        status_code: appeal.status.code(),
        deadline: DeadlineBadge::of(state, &appeal, now),
        escalated_to: body_name(&bodies, appeal.escalated_to),
        lead: body_name(&bodies, appeal.lead_body),
        co: appeal
            .co_bodies
            .iter()
            .map(|b| body_name(&bodies, Some(*b)))
            .collect::<Vec<_>>()
            .join("、"),
        category: appeal
            .category
            .as_ref()
            .map(|c| c.to_string())
            .unwrap_or_else(|| "未分类".into()),
        merged_into,
        point,
        followers,
        attachments: state
            .appeal_attachments(&user.0, &appeal)
            .await?
            .iter()
            .map(AttachmentItem::staff)
            .collect(),
        created: fmt_time(appeal.created_at),
        updated: fmt_time(appeal.updated_at),
        steps,
        slots,
        refusal,
        bodies: body_options(&bodies, lead),
        co_bodies: body_options(&bodies, None)
            .into_iter()
            .map(|b| BodyOpt {
                selected: co.contains(&b.id),
                ..b
            })
            .collect(),
        coop: Cooperation::of(&appeal, &events, &bodies, now),
        categories: options(
            keep.into_iter()
                .chain(paths.iter().map(|l| (l.as_str(), l.as_str()))),
            &category,
        ),
        suggestion,
        candidates,
        callback_script,
        unreached_before_close: UNREACHED_BEFORE_CLOSE,
        reply_review,
        today: today().to_string(),
        tomorrow: (today() + Duration::days(1)).to_string(),
        a: appeal,
    };
    Ok((status, render(&page)).into_response())
}
