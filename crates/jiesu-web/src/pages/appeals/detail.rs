//! One appeal (诉求详情): its facts, merged appeals, timeline and the action forms the
//! signed-in user may use now.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use chrono::{Duration, Utc};
use jiesu_app::visibility::{may_see, redact};
use jiesu_domain::action::Action;
use jiesu_domain::appeal::Appeal;

use super::actions::has_form;
use super::cooperation::Cooperation;
use super::timeline::{Step, steps};
use super::visible;
use crate::extract::CurrentUser;
use crate::pages::support::{
    BodyOpt, DeadlineBadge, Notice, Opt, beijing, body_name, body_options, fmt_time, options, today,
};
use crate::pages::{PageError, Shell, render};
use crate::state::AppState;

/// The actions the signed-in user may take now (the domain's answer); the page shows the
/// form of each.
struct Can(Vec<Action>);

impl Can {
    fn has(&self, action: Action) -> bool {
        self.0.contains(&action)
    }

    /// Whether a form other than the note (备注) shows.
    fn any_form(&self) -> bool {
        self.0.iter().any(|a| *a != Action::Comment && has_form(*a))
    }
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
    followers: Vec<FollowerRow>,
    created: String,
    updated: String,
    steps: Vec<Step>,
    coop: Cooperation,
    can: Can,
    any_action: bool,
    bodies: Vec<BodyOpt>,
    categories: Vec<Opt>,
    callback_script: String,
    today: String,
    tomorrow: String,
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
    let bodies = state.store.bodies().await?;
    let appeal = visible(&state, &user.0, id, &bodies).await?;
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
    let can = Can(appeal.allowed_actions(&user.actor()));
    let taxonomy = state.taxonomy();
    let current = appeal
        .category
        .as_ref()
        .map(|c| c.levels().join("/"))
        .unwrap_or_default();
    let leaves: Vec<String> = taxonomy.leaves().map(|p| p.levels().join("/")).collect();
    let keep = [("", "（不修改分类）")];
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
    let page = AppealPage {
        shell: Shell::load(&state, &user.0, format!("诉求 {}", appeal.number), "")
            .await
            .with_notice(n.ok),
        status_code: appeal.status.code(),
        deadline: DeadlineBadge::of(&state, &appeal, now),
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
        followers,
        created: fmt_time(appeal.created_at),
        updated: fmt_time(appeal.updated_at),
        steps,
        coop: Cooperation::of(&appeal, &events, &bodies, now),
        any_action: can.any_form(),
        can,
        bodies: body_options(&bodies, appeal.lead_body),
        categories: options(
            keep.into_iter()
                .chain(leaves.iter().map(|l| (l.as_str(), l.as_str()))),
            if current.is_empty() { "" } else { "-" },
        ),
        callback_script,
        today: today().to_string(),
        tomorrow: (today() + Duration::days(1)).to_string(),
        a: appeal,
    };
    Ok(render(&page))
}
