//! Suggestion campaigns (民生实事意见征集): a campaign and its proposals read back as written;
//! a voter's support counts once however often it comes; grouping replaces the groups and
//! links their proposals; a group keeps its body and its answer.

use std::sync::Arc;

use chrono::NaiveDate;
use jiesu_domain::body::{BodyKind, NewBody};
use jiesu_domain::campaign::{Answer, CampaignDraft, Outcome, ProposalChannel, ProposalDraft};
use jiesu_domain::ids::BodyId;
use jiesu_store::{NewGroup, Page, Store, StoreError};

use super::at;

fn campaign() -> CampaignDraft {
    CampaignDraft {
        title: "2027年民生实事项目征集".into(),
        description: "请提出您最关心的身边事。".into(),
        opens: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
        closes: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
        channels: vec![ProposalChannel::Web, ProposalChannel::Letter],
        topics: vec!["交通出行".into(), "养老服务".into()],
        bodies: vec!["示范市交通局".into()],
    }
}

fn proposal(title: &str, channel: ProposalChannel) -> ProposalDraft {
    ProposalDraft {
        title: title.into(),
        text: format!("{title}，建议明年列入民生实事。"),
        topic: "交通出行".into(),
        place: "青禾路".into(),
        name: "周先生".into(),
        phone: "13900001234".into(),
        anonymous: true,
        channel,
    }
}

pub async fn campaigns_proposals_support_and_groups_read_back(store: Arc<dyn Store>) {
    let mut draft = campaign();
    let id = store.create_campaign(&draft, at(1, 9)).await.unwrap();
    let stored = store.campaign(id).await.unwrap();
    assert_eq!(stored.draft, draft);
    assert_eq!(stored.published_at, None);
    draft.topics.push("教育".into());
    store.update_campaign(id, &draft).await.unwrap();
    assert_eq!(store.campaign(id).await.unwrap().draft.topics.len(), 3);
    assert!(matches!(
        store.update_campaign(id + 100, &draft).await,
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(store.campaigns().await.unwrap().len(), 1);

    let first = proposal("青禾路增设公交站", ProposalChannel::Web);
    let p1 = store.add_proposal(id, &first, at(2, 9)).await.unwrap();
    let more = store
        .add_proposals(
            id,
            &[
                proposal("青禾路公交站太远", ProposalChannel::Letter),
                proposal("社区食堂延长时间", ProposalChannel::Web),
            ],
            at(3, 9),
        )
        .await
        .unwrap();
    assert_eq!(more.len(), 2);
    assert!(matches!(
        store.add_proposal(id + 100, &first, at(2, 9)).await,
        Err(StoreError::MissingReference { .. })
    ));
    let read = store.proposal(p1).await.unwrap();
    assert_eq!(read.draft, first);
    assert_eq!((read.campaign, read.supports, read.group), (id, 0, None));
    assert_eq!(store.count_proposals(id).await.unwrap(), 3);
    let page = store.proposals(id, Some(Page::new(1, 1))).await.unwrap();
    assert_eq!(page[0].id, more[0]);
    assert_eq!(page[0].draft.channel, ProposalChannel::Letter);

    // One vote per voter and proposal: the second is not counted.
    assert!(store.support_proposal(p1, "s:a", at(4, 9)).await.unwrap());
    assert!(!store.support_proposal(p1, "s:a", at(4, 10)).await.unwrap());
    assert!(store.support_proposal(p1, "s:b", at(4, 11)).await.unwrap());
    assert!(
        store
            .support_proposal(more[0], "s:a", at(4, 11))
            .await
            .unwrap()
    );
    assert_eq!(store.proposal(p1).await.unwrap().supports, 2);
    assert!(matches!(
        store.support_proposal(p1 + 100, "s:a", at(4, 9)).await,
        Err(StoreError::NotFound(_))
    ));

    let groups = [
        NewGroup {
            rank: 1,
            subject: "青禾路公交站".into(),
            place: "青禾路".into(),
            keywords: vec!["公交站".into()],
            people: 2,
            supports: 3,
            proposals: vec![p1, more[0]],
        },
        NewGroup {
            rank: 2,
            subject: "社区食堂延长时间".into(),
            place: String::new(),
            keywords: vec![],
            people: 1,
            supports: 0,
            proposals: vec![more[1]],
        },
    ];
    store.replace_groups(id, &groups[..1]).await.unwrap();
    store.replace_groups(id, &groups).await.unwrap();
    let stored = store.groups(id).await.unwrap();
    assert_eq!(stored.len(), 2);
    assert_eq!(
        (
            stored[0].rank,
            stored[0].size,
            stored[0].people,
            stored[0].supports
        ),
        (1, 2, 2, 3)
    );
    assert_eq!(stored[0].keywords, ["公交站"]);
    assert_eq!(store.proposal(p1).await.unwrap().group, Some(stored[0].id));
    assert_eq!(
        store.proposal(more[1]).await.unwrap().group,
        Some(stored[1].id)
    );
    let members = store
        .group_proposals(stored[0].id, Page::new(0, 10))
        .await
        .unwrap();
    assert_eq!(
        members.iter().map(|p| p.id).collect::<Vec<_>>(),
        [p1, more[0]]
    );

    let body = store
        .create_body(&NewBody {
            name: "示范市交通局".into(),
            kind: BodyKind::Department,
            parent: None,
            areas: vec![],
        })
        .await
        .unwrap();
    store.assign_group(stored[0].id, body.id).await.unwrap();
    assert!(matches!(
        store
            .assign_group(stored[0].id, BodyId(body.id.0 + 100))
            .await,
        Err(StoreError::MissingReference { .. })
    ));
    assert!(matches!(
        store.assign_group(stored[1].id + 100, body.id).await,
        Err(StoreError::NotFound(_))
    ));
    let answer = Answer {
        outcome: Outcome::Adopted,
        reply: "列入明年公交线网优化。".into(),
    };
    store
        .answer_group(stored[0].id, &answer, Some(7), at(5, 9))
        .await
        .unwrap();
    let group = store.group(stored[0].id).await.unwrap();
    assert_eq!(group.body, Some(body.id));
    assert_eq!(group.answer, Some(answer));
    assert_eq!(group.task, Some(7));
    assert_eq!(group.answered_at, Some(at(5, 9)));
    assert!(store.group(stored[1].id).await.unwrap().answer.is_none());

    store.publish_campaign(id, at(6, 9)).await.unwrap();
    assert_eq!(
        store.campaign(id).await.unwrap().published_at,
        Some(at(6, 9))
    );
    assert!(matches!(
        store.campaign(id + 100).await,
        Err(StoreError::NotFound(_))
    ));
}
