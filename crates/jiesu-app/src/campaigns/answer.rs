//! After the close: each group is given to a body (交办), which answers it (答复); an adopted
//! group, wholly or in part, becomes a live task of next year's 民生实事 list, led by that
//! body; once every group is answered the outcomes are published (公布).

use chrono::{Datelike, NaiveDate, Utc};
use jiesu_domain::DomainError;
use jiesu_domain::campaign::{Answer, CampaignState};
use jiesu_domain::ids::BodyId;
use jiesu_domain::task::{Cadence, TaskDraft};
use jiesu_domain::user::{Role, User};
use jiesu_store::{Page, StoreError, StoredCampaign, StoredGroup, StoredProposal};

use super::state_of;
use crate::App;
use crate::error::AppResult;
use crate::tasks::{BodyMapping, publish_with_bodies};

/// Proposals a group's page lists.
pub const GROUP_PAGE_PROPOSALS: i64 = 200;

/// A group with its campaign, its body's name and (the first of) its proposals.
#[derive(Debug, Clone)]
pub struct GroupView {
    pub campaign: StoredCampaign,
    pub state: CampaignState,
    pub group: StoredGroup,
    pub body: Option<String>,
    pub proposals: Vec<StoredProposal>,
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
    let answer = group
        .answer
        .as_ref()
        .map(|a| a.reply.as_str())
        .unwrap_or("");
    TaskDraft {
        document: format!(
            "{}（民生实事意见征集）",
            campaign.draft.title.chars().take(180).collect::<String>()
        ),
        number: format!("第{}组", group.rank),
        section: format!("{year}年民生实事"),
        title: group.subject.chars().take(300).collect(),
        text: format!(
            "{answer}\n地点：{}\n提出人数：{}，支持数：{}，建议数：{}",
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

    /// The body's answer to a group, once; an adopted group becomes a live task led by
    /// the body. Returns the task.
    pub async fn answer_group(&self, id: i64, answer: Answer, by: &User) -> AppResult<Option<i64>> {
        let answer = answer.validated()?;
        let mut group = self.store.group(id).await?;
        let campaign = self.store.campaign(group.campaign).await?;
        state_of(&campaign).after_close("答复")?;
        let Some(body) = group.body else {
            return Err(DomainError::Refused("该组建议尚未交办单位".into()).into());
        };
        if !may_answer(by, Some(body)) {
            return Err(DomainError::Refused("只有承办该组建议的单位可以答复".into()).into());
        }
        if group.answer.is_some() {
            return Err(DomainError::Refused("该组建议已答复".into()).into());
        }
        let now = Utc::now();
        let becomes_task = answer.outcome.becomes_task();
        group.answer = Some(answer.clone());
        // The task is drafted, linked to its group by the answer, and only then published:
        // a failure never leaves a live task that no group names.
        let task = if becomes_task {
            let name = self
                .body_name(body)
                .await?
                .ok_or(StoreError::NotFound("单位"))?;
            let draft = group_task(&campaign, &group, &name).validated()?;
            let ids = self.store.create_task_drafts(&[draft], now).await?;
            Some((ids[0], name))
        } else {
            None
        };
        self.store
            .answer_group(id, &answer, task.as_ref().map(|t| t.0), now)
            .await?;
        if let Some((task, name)) = &task {
            let mut mapping = BodyMapping::default();
            mapping.names.insert(name.clone(), Some(body));
            publish_with_bodies(&*self.store, &[*task], &mapping, now).await?;
        }
        Ok(task.map(|t| t.0))
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
