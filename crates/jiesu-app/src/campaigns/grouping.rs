//! Grouping a closed campaign's proposals (汇总梳理): the same grouping by subject and place as
//! a liaison station's items ([`crate::stations::grouping`], built on the hot-issue
//! detector), then ranked by how many people raised each group, then by its public support.

use std::collections::HashSet;
use std::time::Instant;

use jiesu_domain::campaign::CampaignState;
use jiesu_domain::deadline::china_local;
use jiesu_store::{NewGroup, StoredProposal};

use super::state_of;
use crate::App;
use crate::error::{AppError, AppResult};
use crate::stations::grouping::{Grouped, Subject, group};

/// What a grouping did.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupingDone {
    pub proposals: usize,
    pub groups: usize,
    /// Seconds the grouping itself took (reading and writing left out).
    pub seconds: f64,
}

/// The item a proposal is grouped as: a person's proposals are held to a stricter
/// similarity, so a proposal without a known person stands for a person of its own.
fn subject(p: &StoredProposal) -> Subject {
    Subject {
        id: p.id.to_string(),
        user: p.draft.person().unwrap_or_else(|| format!("#{}", p.id)),
        title: p.draft.title.clone(),
        address: p.draft.place.clone(),
        text: p.draft.text.clone(),
        time: china_local(p.created_at),
    }
}

/// The groups of `proposals`, ranked: most people first, then most support, then most
/// proposals, then the earliest proposal.
pub fn rank(proposals: &[StoredProposal]) -> Vec<NewGroup> {
    let subjects: Vec<Subject> = proposals.iter().map(subject).collect();
    let mut groups: Vec<NewGroup> = group(&subjects)
        .into_iter()
        .map(|g| new_group(g, proposals))
        .collect();
    groups.sort_by(|a, b| {
        b.people
            .cmp(&a.people)
            .then(b.supports.cmp(&a.supports))
            .then(b.proposals.len().cmp(&a.proposals.len()))
            .then(a.proposals.first().cmp(&b.proposals.first()))
    });
    for (i, g) in groups.iter_mut().enumerate() {
        g.rank = i as i64 + 1;
    }
    groups
}

fn new_group(g: Grouped, proposals: &[StoredProposal]) -> NewGroup {
    let members: Vec<&StoredProposal> = g.members.iter().map(|&i| &proposals[i]).collect();
    let people: HashSet<String> = members
        .iter()
        .map(|p| p.draft.person().unwrap_or_else(|| format!("#{}", p.id)))
        .collect();
    let mut ids: Vec<i64> = members.iter().map(|p| p.id).collect();
    ids.sort_unstable();
    NewGroup {
        rank: 0,
        subject: g.subject.chars().take(200).collect(),
        place: g.place.chars().take(200).collect(),
        keywords: g.keywords,
        people: people.len() as i64,
        supports: members.iter().map(|p| p.supports).sum(),
        proposals: ids,
    }
}

impl App {
    /// Groups a closed campaign's proposals and stores the ranked groups, replacing earlier
    /// ones; refused before the close, after publishing, and once a body has answered.
    pub async fn group_campaign(&self, id: i64) -> AppResult<GroupingDone> {
        let campaign = self.store.campaign(id).await?;
        state_of(&campaign).after_close("汇总分组")?;
        if self
            .store
            .groups(id)
            .await?
            .iter()
            .any(|g| g.answer.is_some())
        {
            return Err(
                jiesu_domain::DomainError::Refused("已有单位答复，不能重新分组".into()).into(),
            );
        }
        let proposals = self.store.proposals(id, None).await?;
        let count = proposals.len();
        let (groups, seconds) = tokio::task::spawn_blocking(move || {
            let started = Instant::now();
            let groups = rank(&proposals);
            (groups, started.elapsed().as_secs_f64())
        })
        .await
        .map_err(|e| AppError::Internal(format!("proposal grouping: {e}")))?;
        self.store.replace_groups(id, &groups).await?;
        Ok(GroupingDone {
            proposals: count,
            groups: groups.len(),
            seconds,
        })
    }
}

/// Whether `state` lets a campaign be grouped (for the pages' buttons).
pub fn may_group(state: CampaignState) -> bool {
    state == CampaignState::Closed
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;
    use jiesu_domain::campaign::{ProposalChannel, ProposalDraft};

    fn proposal(id: i64, title: &str, place: &str, phone: &str, supports: i64) -> StoredProposal {
        StoredProposal {
            id,
            campaign: 1,
            draft: ProposalDraft {
                title: title.into(),
                text: format!("{title}，建议列入明年民生实事。"),
                topic: String::new(),
                place: place.into(),
                name: String::new(),
                phone: phone.into(),
                anonymous: false,
                channel: ProposalChannel::Web,
            },
            supports,
            group: None,
            created_at: Utc::now(),
        }
    }

    #[test]
    fn groups_rank_by_people_then_support() {
        let proposals = [
            proposal(1, "松风苑小区加装电梯", "松风苑", "13900000001", 0),
            proposal(2, "城东公园增设公厕", "城东公园", "13900000002", 9),
            proposal(3, "松风苑小区老楼加装电梯", "松风苑", "13900000003", 1),
            proposal(4, "松风苑加装电梯尽快落实", "松风苑", "13900000001", 0),
            proposal(5, "河滨路夜间施工噪音", "河滨路", "13900000004", 2),
        ];
        let groups = rank(&proposals);
        assert_eq!(groups[0].proposals, [1, 3, 4], "{groups:?}");
        assert_eq!(
            (groups[0].rank, groups[0].people, groups[0].supports),
            (1, 2, 1)
        );
        assert_eq!(groups[1].proposals, [2], "{groups:?}");
        assert_eq!(groups[2].proposals, [5]);
        assert_eq!(groups.iter().map(|g| g.proposals.len()).sum::<usize>(), 5);
    }
}
