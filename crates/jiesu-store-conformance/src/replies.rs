//! Reply reviews (答复评价): scores kept per reply, the decision recorded on them, and each
//! body's means over a period.

use std::sync::Arc;

use jiesu_domain::ids::AppealId;
use jiesu_store::{ReplyScore, Store, StoreError};

use crate::{at, body, registered_appeal};

fn score(
    appeal: AppealId,
    reply_seq: i64,
    body: jiesu_domain::ids::BodyId,
    overall: f64,
    day: u32,
) -> ReplyScore {
    ReplyScore {
        appeal,
        reply_seq,
        body: Some(body),
        relevance: overall,
        completeness: overall / 2.0,
        tone: 1.0,
        timeliness: 1.0,
        overall,
        gaps: vec!["未说明依据".into(), "未提及诉求地点（桂园小区）".into()],
        replied_at: at(day, 10),
        scored_at: at(day, 11),
        approved: None,
        reviewed_at: None,
    }
}

pub async fn reply_scores_keep_the_decision_and_average_by_body(store: Arc<dyn Store>) {
    let store = &*store;
    let (east, west) = (
        body(store, "东区", None).await,
        body(store, "西区", None).await,
    );
    let first = registered_appeal(store, "桂园小区垃圾站恶臭", at(2, 9)).await;
    let second = registered_appeal(store, "松园路路灯不亮", at(2, 10)).await;

    // A reply scored twice keeps the latest scores and, once decided, its decision.
    store
        .save_reply_score(&score(first, 4, east, 0.2, 3))
        .await
        .unwrap();
    store
        .decide_reply_score(first, 4, false, at(3, 15))
        .await
        .unwrap();
    let mut rescored = score(first, 4, east, 0.4, 3);
    rescored.scored_at = at(3, 16);
    store.save_reply_score(&rescored).await.unwrap();
    store
        .save_reply_score(&score(first, 7, east, 0.8, 5))
        .await
        .unwrap();
    store
        .save_reply_score(&score(second, 4, west, 0.6, 4))
        .await
        .unwrap();
    store
        .save_reply_score(&score(second, 9, west, 0.9, 20))
        .await
        .unwrap();

    let scores = store.reply_scores(first).await.unwrap();
    assert_eq!(
        scores.iter().map(|s| s.reply_seq).collect::<Vec<_>>(),
        [7, 4]
    );
    let earlier = &scores[1];
    assert_eq!(earlier.overall, 0.4);
    assert_eq!(earlier.scored_at, at(3, 16));
    assert_eq!(earlier.approved, Some(false));
    assert_eq!(earlier.reviewed_at, Some(at(3, 15)));
    assert_eq!(earlier.gaps, ["未说明依据", "未提及诉求地点（桂园小区）"]);
    assert_eq!(scores[0].approved, None);
    assert_eq!(scores[0], score(first, 7, east, 0.8, 5));

    // Means per body over replies given in [day 1, day 10): west's day-20 reply is out.
    let means = store
        .reply_review_mean_by_body(at(1, 0), at(10, 0))
        .await
        .unwrap();
    assert_eq!(means.len(), 2);
    assert_eq!((means[0].body, means[0].replies), (east, 2));
    assert!((means[0].overall - 0.6).abs() < 1e-9);
    assert!((means[0].completeness - 0.3).abs() < 1e-9);
    assert_eq!((means[1].body, means[1].replies), (west, 1));
    assert!((means[1].overall - 0.6).abs() < 1e-9);
    assert!(
        store
            .reply_review_mean_by_body(at(25, 0), at(26, 0))
            .await
            .unwrap()
            .is_empty()
    );

    // The weakest replies of the period, lowest overall first, at most `limit`.
    let weakest = store.weakest_replies(at(1, 0), at(10, 0), 2).await.unwrap();
    assert_eq!(
        weakest
            .iter()
            .map(|s| (s.appeal, s.reply_seq))
            .collect::<Vec<_>>(),
        [(first, 4), (second, 4)]
    );

    // Deciding on a reply never scored is refused.
    assert!(matches!(
        store.decide_reply_score(second, 5, true, at(4, 12)).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(
        store
            .reply_scores(AppealId(second.0 + 1000))
            .await
            .unwrap()
            .is_empty()
    );
}
