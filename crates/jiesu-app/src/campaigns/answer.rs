//! After the close: each group is given to a body (交办), which answers it (答复); an adopted
//! group, wholly or in part, becomes a live task of next year's 民生实事 list, led by that
//! body; until the outcomes are published (公布) the answer may be corrected (更正答复),
//! the task following it, and every answer given stays in the group's answers.

use chrono::{Datelike, NaiveDate, Utc};
use jiesu_domain::DomainError;
use jiesu_domain::campaign::{Answer, CampaignState};
use jiesu_domain::ids::BodyId;
use jiesu_domain::task::{Cadence, TaskDraft};
use jiesu_domain::user::{Role, User};
use jiesu_store::{
    GroupAnswer, Page, StoreError, StoredCampaign, StoredGroup, StoredProposal, TaskChange,
};

use super::state_of;
use crate::App;
use crate::error::AppResult;
use crate::tasks::{BodyMapping, publish_with_bodies};

/// Proposals a group's page lists.
pub const GROUP_PAGE_PROPOSALS: i64 = 200;

/// A group with its campaign, its body's name, (the first of) its proposals and its answers.
#[derive(Debug, Clone)]
pub struct GroupView {
    pub campaign: StoredCampaign,
    pub state: CampaignState,
    pub group: StoredGroup,
    pub body: Option<String>,
    pub proposals: Vec<StoredProposal>,
    /// Every answer the group was given, oldest first (the current one last).
    pub answers: Vec<GroupAnswer>,
}

/// Whether `user` may answer a group given to `body`: that body's own staff, or the office.
pub fn may_answer(user: &User, body: Option<BodyId>) -> bool {
    match user.role {
        Role::Supervisor | Role::Admin => true,
        Role::Handler => body.is_some() && user.body == body,
        _ => false,
    }
}

/// The task an adopted group becomes: led by its body, due at the end of the year after
/// the campaign closed (the list it is for).
fn group_task(campaign: &StoredCampaign, group: &StoredGroup, body: &str) -> TaskDraft {
    let year = campaign.draft.closes.year() + 1;
    let (outcome, answer) = group
        .answer
        .as_ref()
        .map_or(("", ""), |a| (a.outcome.label(), a.reply.as_str()));
    TaskDraft {
        document: format!(
            "{}（民生实事意见征集）",
            campaign.draft.title.chars().take(180).collect::<String>()
        ),
        number: format!("第{}组", group.rank),
        section: format!("{year}年民生实事"),
        title: group.subject.chars().take(300).collect(),
        text: format!(
            "办理结果：{outcome}\n{answer}\n地点：{}\n提出人数：{}，支持数：{}，建议数：{}",
            group.place, group.people, group.supports, group.size
        ),
        lead_bodies: vec![body.to_string()],
        co_bodies: Vec::new(),
        due: NaiveDate::from_ymd_opt(year, 12, 31),
        cadence: Cadence::None,
    }
}

impl App {
    /// A group with its campaign, body and first proposals.
    pub async fn group_view(&self, id: i64) -> AppResult<GroupView> {
        let group = self.store.group(id).await?;
        let campaign = self.store.campaign(group.campaign).await?;
        let body = match group.body {
            Some(b) => self.body_name(b).await?,
            None => None,
        };
        Ok(GroupView {
            state: state_of(&campaign),
            proposals: self
                .store
                .group_proposals(id, Page::new(0, GROUP_PAGE_PROPOSALS))
                .await?,
            answers: self.store.group_answers(id).await?,
            body,
            campaign,
            group,
        })
    }

    async fn body_name(&self, id: BodyId) -> AppResult<Option<String>> {
        Ok(self
            .store
            .bodies()
            .await?
            .into_iter()
            .find(|b| b.id == id)
            .map(|b| b.name))
    }

    /// Gives a group to a body; refused outside the time between close and publishing, and
    /// once the group is answered.
    pub async fn assign_group(&self, id: i64, body: BodyId) -> AppResult<()> {
        let group = self.store.group(id).await?;
        state_of(&self.store.campaign(group.campaign).await?).after_close("交办")?;
        if group.answer.is_some() {
            return Err(DomainError::Refused("该组建议已答复，不能改派".into()).into());
        }
        self.store
            .assign_group(id, body)
            .await
            .map_err(|e| match e {
                StoreError::MissingReference { .. } => DomainError::InvalidField {
                    field: "body",
                    reason: format!("单位编号 {} 不存在", body.0),
                }
                .into(),
                other => other.into(),
            })
    }

    /// The body's answer to a group, once (a later change is a correction,
    /// [`correct_answer`](App::correct_answer)); an adopted group becomes a live task led by
    /// the body. Returns the task.
    pub async fn answer_group(&self, id: i64, answer: Answer, by: &User) -> AppResult<Option<i64>> {
        let answer = answer.validated()?;
        let (group, campaign, body) = self.answerable(id, "答复", by).await?;
        if group.answer.is_some() {
            return Err(DomainError::Refused("该组建议已答复；如需修改，请更正答复".into()).into());
        }
        self.record_answer(group, &campaign, body, answer, by).await
    }

    /// Corrects a group's answer (更正答复) until the outcomes are published: the new answer
    /// replaces the old, which stays in the group's answers. The task follows: 采纳 ⇄ 部分采纳
    /// keeps the task and rewrites its text; 不予采纳 closes (销号) the task the group had,
    /// with a note saying why; adopting a group that was not adopted makes a new task.
    /// Returns the group's live task.
    pub async fn correct_answer(
        &self,
        id: i64,
        answer: Answer,
        by: &User,
    ) -> AppResult<Option<i64>> {
        let answer = answer.validated()?;
        let (group, campaign, body) = self.answerable(id, "更正答复", by).await?;
        match &group.answer {
            None => {
                return Err(DomainError::IllegalTransition {
                    state: "未答复",
                    action: "更正答复",
                }
                .into());
            }
            Some(old) if *old == answer => {
                return Err(DomainError::Refused("更正后的答复与原答复相同".into()).into());
            }
            Some(_) => {}
        }
        self.record_answer(group, &campaign, body, answer, by).await
    }

    /// A group `by` may answer now (`action` names what for the refusal): its campaign is
    /// closed and not published, it was given to a body, and `by` works for that body or the
    /// office.
    async fn answerable(
        &self,
        id: i64,
        action: &'static str,
        by: &User,
    ) -> AppResult<(StoredGroup, StoredCampaign, BodyId)> {
        let group = self.store.group(id).await?;
        let campaign = self.store.campaign(group.campaign).await?;
        state_of(&campaign).after_close(action)?;
        let Some(body) = group.body else {
            return Err(DomainError::Refused("该组建议尚未交办单位".into()).into());
        };
        if !may_answer(by, Some(body)) {
            return Err(DomainError::Refused("只有承办该组建议的单位可以答复".into()).into());
        }
        Ok((group, campaign, body))
    }

    /// Records `answer` in place of the group's current one (if any), keeping the rule that
    /// an adopted group has exactly one live task and any other none.
    async fn record_answer(
        &self,
        mut group: StoredGroup,
        campaign: &StoredCampaign,
        body: BodyId,
        answer: Answer,
        by: &User,
    ) -> AppResult<Option<i64>> {
        let now = Utc::now();
        let previous = group.answered_at;
        let old_task = group.task;
        let adopted = answer.outcome.becomes_task();
        group.answer = Some(answer.clone());
        let name = self
            .body_name(body)
            .await?
            .ok_or(StoreError::NotFound("单位"))?;
        let (task, change, publish) = match (old_task, adopted) {
            (Some(task), true) => {
                let text = group_task(campaign, &group, &name).validated()?.text;
                (Some(task), Some(TaskChange::Retext { task, text }), false)
            }
            (Some(task), false) => {
                if self.store.task(task).await?.closed_at.is_some() {
                    return Err(DomainError::Refused(format!(
                        "任务 #{task} 已销号，不能更正为不予采纳"
                    ))
                    .into());
                }
                let note = format!("答复更正为不予采纳，任务撤销：{}", answer.reply)
                    .chars()
                    .take(1000)
                    .collect();
                (None, Some(TaskChange::Close { task, note }), false)
            }
            // The task is drafted, linked to its group by the answer, and only then
            // published: a failure never leaves a live task that no group names.
            (None, true) => {
                let draft = group_task(campaign, &group, &name).validated()?;
                let ids = self.store.create_task_drafts(&[draft], now).await?;
                (Some(ids[0]), None, true)
            }
            (None, false) => (None, None, false),
        };
        let record = GroupAnswer {
            answer,
            task,
            by: by.display_name.clone(),
            at: now,
        };
        let recorded = self
            .store
            .answer_group(group.id, previous, &record, change.as_ref())
            .await;
        if let Err(e) = recorded {
            // The draft made for this answer is linked to nothing: discard it.
            if let (Some(task), true) = (task, publish)
                && let Err(discard) = self.store.discard_task_draft(task).await
            {
                tracing::warn!(task, error = %discard, "an unlinked group task draft stays");
            }
            return Err(match e {
                StoreError::Stale => {
                    DomainError::Refused("该组答复刚被他人更改，请刷新后重试".into()).into()
                }
                other => other.into(),
            });
        }
        if let (Some(task), true) = (task, publish) {
            let mut mapping = BodyMapping::default();
            mapping.names.insert(name, Some(body));
            publish_with_bodies(&*self.store, &[task], &mapping, now).await?;
        }
        Ok(task)
    }

    /// Publishes the outcomes of a closed campaign whose groups are all answered.
    pub async fn publish_campaign(&self, id: i64) -> AppResult<()> {
        let campaign = self.store.campaign(id).await?;
        state_of(&campaign).after_close("公布结果")?;
        let groups = self.store.groups(id).await?;
        if groups.is_empty() {
            return Err(DomainError::Refused("请先汇总分组".into()).into());
        }
        let open = groups.iter().filter(|g| g.answer.is_none()).count();
        if open > 0 {
            return Err(DomainError::Refused(format!("尚有 {open} 组建议未答复")).into());
        }
        Ok(self.store.publish_campaign(id, Utc::now()).await?)
    }

    /// A campaign's groups, by rank, each with its body's name.
    pub async fn campaign_groups(&self, id: i64) -> AppResult<Vec<(StoredGroup, Option<String>)>> {
        self.store.campaign(id).await?;
        let bodies = self.store.bodies().await?;
        Ok(self
            .store
            .groups(id)
            .await?
            .into_iter()
            .map(|g| {
                let name = g
                    .body
                    .and_then(|b| bodies.iter().find(|x| x.id == b))
                    .map(|b| b.name.clone());
                (g, name)
            })
            .collect())
    }
}
