//! Suggestion campaigns (民生实事意见征集): a campaign and its proposals read back as written;
//! a voter's support counts once however often it comes; grouping replaces the groups and
//! links their proposals; a group keeps its body and its answer, and a corrected answer
//! replaces it in one write with its task, the old one kept in the group's answers.

use std::sync::Arc;

use chrono::NaiveDate;
use jiesu_domain::body::{BodyKind, NewBody};
use jiesu_domain::campaign::{Answer, CampaignDraft, Outcome, ProposalChannel, ProposalDraft};
use jiesu_domain::ids::BodyId;
use jiesu_domain::task::{Cadence, TaskDraft};
use jiesu_store::{GroupAnswer, NewGroup, Page, Store, StoreError, TaskChange};

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
    let record = GroupAnswer {
        answer: answer.clone(),
        task: Some(7),
        by: "交通局张三".into(),
        at: at(5, 9),
    };
    store
        .answer_group(stored[0].id, None, &record, None)
        .await
        .unwrap();
    // A second first answer finds the group answered.
    assert!(matches!(
        store.answer_group(stored[0].id, None, &record, None).await,
        Err(StoreError::Stale)
    ));
    assert!(matches!(
        store
            .answer_group(stored[1].id + 100, None, &record, None)
            .await,
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(store.group_answers(stored[0].id).await.unwrap(), [record]);
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

fn task(title: &str) -> TaskDraft {
    TaskDraft {
        document: "2027年民生实事项目征集（民生实事意见征集）".into(),
        number: "第1组".into(),
        section: "2027年民生实事".into(),
        title: title.into(),
        text: "办理结果：采纳".into(),
        lead_bodies: vec![],
        co_bodies: vec![],
        due: NaiveDate::from_ymd_opt(2027, 12, 31),
        cadence: Cadence::None,
    }
}

pub async fn a_corrected_answer_replaces_the_old_and_changes_its_task(store: Arc<dyn Store>) {
    let id = store.create_campaign(&campaign(), at(1, 9)).await.unwrap();
    let p = store
        .add_proposal(
            id,
            &proposal("青禾路增设公交站", ProposalChannel::Web),
            at(2, 9),
        )
        .await
        .unwrap();
    store
        .replace_groups(
            id,
            &[NewGroup {
                rank: 1,
                subject: "青禾路公交站".into(),
                place: "青禾路".into(),
                keywords: vec![],
                people: 1,
                supports: 0,
                proposals: vec![p],
            }],
        )
        .await
        .unwrap();
    let group = store.groups(id).await.unwrap()[0].id;
    let tasks = store
        .create_task_drafts(&[task("青禾路公交站")], at(5, 9))
        .await
        .unwrap();
    store.publish_tasks(&tasks, at(5, 9)).await.unwrap();
    let first = GroupAnswer {
        answer: Answer {
            outcome: Outcome::Adopted,
            reply: "列入明年公交线网优化。".into(),
        },
        task: Some(tasks[0]),
        by: "交通局张三".into(),
        at: at(5, 9),
    };
    store.answer_group(group, None, &first, None).await.unwrap();

    // 采纳 → 部分采纳: the task stays, with the new text.
    let partly = GroupAnswer {
        answer: Answer {
            outcome: Outcome::PartlyAdopted,
            reply: "先在青禾路北段增设站点。".into(),
        },
        by: "督查室李四".into(),
        at: at(6, 9),
        ..first.clone()
    };
    let retext = TaskChange::Retext {
        task: tasks[0],
        text: "办理结果：部分采纳".into(),
    };
    // A correction of an answer that is no longer the group's is stale, and changes nothing.
    assert!(matches!(
        store
            .answer_group(group, Some(at(4, 9)), &partly, Some(&retext))
            .await,
        Err(StoreError::Stale)
    ));
    assert_eq!(
        store.task(tasks[0]).await.unwrap().draft.text,
        "办理结果：采纳"
    );
    store
        .answer_group(group, Some(at(5, 9)), &partly, Some(&retext))
        .await
        .unwrap();
    let read = store.group(group).await.unwrap();
    assert_eq!(read.answer.as_ref(), Some(&partly.answer));
    assert_eq!(
        (read.task, read.answered_at),
        (Some(tasks[0]), Some(at(6, 9)))
    );
    assert_eq!(
        store.task(tasks[0]).await.unwrap().draft.text,
        "办理结果：部分采纳"
    );

    // → 不予采纳: the task is closed with the note, the group has none.
    let refused = GroupAnswer {
        answer: Answer {
            outcome: Outcome::NotAdopted,
            reply: "该路段已规划地铁站，暂不增设。".into(),
        },
        task: None,
        by: "督查室李四".into(),
        at: at(7, 9),
    };
    let close = TaskChange::Close {
        task: tasks[0],
        note: "答复更正为不予采纳".into(),
    };
    store
        .answer_group(group, Some(at(6, 9)), &refused, Some(&close))
        .await
        .unwrap();
    let read = store.group(group).await.unwrap();
    assert_eq!(
        (read.task, read.answer.map(|a| a.outcome)),
        (None, Some(Outcome::NotAdopted))
    );
    assert_eq!(
        store.task(tasks[0]).await.unwrap().closed_at,
        Some(at(7, 9))
    );
    // Closing a closed task again is stale, and the answer stays as it was.
    let again = GroupAnswer {
        at: at(8, 9),
        ..refused.clone()
    };
    assert!(matches!(
        store
            .answer_group(group, Some(at(7, 9)), &again, Some(&close))
            .await,
        Err(StoreError::Stale)
    ));
    assert_eq!(
        store.group(group).await.unwrap().answered_at,
        Some(at(7, 9))
    );

    // Every answer stays, oldest first, with who gave it and the task it left.
    assert_eq!(
        store.group_answers(group).await.unwrap(),
        [first, partly, refused]
    );
}
