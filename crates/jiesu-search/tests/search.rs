//! The search index through its public API, with invented appeals.

use std::sync::Mutex;

use chrono::{DateTime, Duration, TimeZone, Utc};
use jiesu_domain::appeal::{Appeal, AppealDraft, AppealNumber, Citizen, Place};
use jiesu_domain::category::CategoryPath;
use jiesu_domain::ids::{AppealId, BodyId};
use jiesu_domain::kinds::{AppealType, Channel, Urgency};
use jiesu_domain::lifecycle::registered;
use jiesu_domain::status::Status;
use jiesu_search::{
    AppealSource, CatchUpConfig, SearchError, SearchFilters, SearchIndex, SearchQuery, SourceError,
    UpdaterConfig, Watermark,
};

fn day(d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, d, 9, 0, 0).single().unwrap()
}

struct A {
    id: i64,
    title: &'static str,
    text: &'static str,
    district: &'static str,
    status: Status,
    lead: i64,
    co: Vec<i64>,
    created: DateTime<Utc>,
}

impl Default for A {
    fn default() -> Self {
        A {
            id: 1,
            title: "",
            text: "",
            district: "青川区",
            status: Status::Handling,
            lead: 10,
            co: vec![],
            created: day(1),
        }
    }
}

impl A {
    fn build(self) -> Appeal {
        let draft = AppealDraft {
            channel: Channel::Hotline,
            appeal_type: AppealType::Help,
            title: self.title.into(),
            text: self.text.into(),
            citizen: Citizen::default(),
            place: Place {
                address: "翠湖苑3号楼".into(),
                district: Some(self.district.into()),
                ..Place::default()
            },
            category: Some(CategoryPath::parse("城乡建设/市政设施").unwrap()),
            urgency: Urgency::Normal,
            suggested: None,
        };
        let number = AppealNumber(format!("20260301{:05}", self.id));
        let mut a = registered(AppealId(self.id), number, draft, self.created);
        a.status = self.status;
        a.lead_body = Some(BodyId(self.lead));
        a.co_bodies = self.co.into_iter().map(BodyId).collect();
        a
    }
}

fn sample() -> Vec<Appeal> {
    vec![
        A {
            id: 1,
            title: "翠湖苑小区路灯不亮",
            text: "翠湖苑小区门口的路灯一直不亮，晚上出行很不方便，<script>请尽快维修</script>。",
            status: Status::Handling,
            lead: 10,
            created: day(1),
            ..A::default()
        }
        .build(),
        A {
            id: 2,
            title: "建设路夜间施工噪音扰民",
            text: "建设路工地每天晚上十点以后还在施工，噪音很大，影响休息。",
            district: "临河区",
            status: Status::Closed,
            lead: 20,
            co: vec![10],
            created: day(5),
        }
        .build(),
        A {
            id: 3,
            title: "锦绣花园暖气不热",
            text: "入冬以来锦绣花园暖气一直不热，室内温度只有十几度。",
            district: "云峰区",
            status: Status::Dispatched,
            lead: 30,
            created: day(10),
            ..A::default()
        }
        .build(),
    ]
}

async fn index_with(appeals: &[Appeal]) -> SearchIndex {
    let index = SearchIndex::in_memory().unwrap();
    let updater = index.updater(UpdaterConfig::default()).unwrap();
    for a in appeals {
        updater.upsert(a).await.unwrap();
    }
    updater.flush().await.unwrap();
    index
}

fn text(q: &str) -> SearchQuery {
    SearchQuery {
        text: q.into(),
        ..SearchQuery::default()
    }
}

fn ids(index: &SearchIndex, q: &SearchQuery) -> Vec<i64> {
    let mut ids: Vec<i64> = index
        .search(q)
        .unwrap()
        .hits
        .iter()
        .map(|h| h.id.0)
        .collect();
    ids.sort();
    ids
}

#[tokio::test]
async fn finds_and_highlights_plain_chinese_text() {
    let index = index_with(&sample()).await;
    let results = index.search(&text("路灯不亮")).unwrap();
    assert_eq!(results.total, 1);
    let hit = &results.hits[0];
    assert_eq!(hit.id, AppealId(1));
    assert_eq!(hit.number, "2026030100001");
    // jieba may cut the title as 路 / 灯不亮: either way the words are marked.
    assert!(
        hit.title_snippet.contains("<mark>"),
        "{}",
        hit.title_snippet
    );
    assert_eq!(
        hit.title_snippet
            .replace("<mark>", "")
            .replace("</mark>", ""),
        "翠湖苑小区路灯不亮"
    );
    assert!(
        hit.text_snippet.contains("<mark>路灯</mark>"),
        "{}",
        hit.text_snippet
    );
    assert!(
        !hit.text_snippet.contains("<script>"),
        "{}",
        hit.text_snippet
    );
    assert!(
        hit.text_snippet.contains("&lt;script&gt;"),
        "{}",
        hit.text_snippet
    );

    // Several words, a phrase, OR and NOT.
    assert_eq!(ids(&index, &text("施工 噪音")), vec![2]);
    assert_eq!(ids(&index, &text("\"暖气不热\"")), vec![3]);
    assert_eq!(ids(&index, &text("路灯 OR 暖气")), vec![1, 3]);
    assert_eq!(ids(&index, &text("(路灯 OR 暖气) -锦绣")), vec![1]);
    // The appeal number; the address.
    assert_eq!(ids(&index, &text("2026030100002")), vec![2]);
    assert_eq!(ids(&index, &text("翠湖苑")), vec![1, 2, 3]);
    // Empty text lists newest first.
    let all = index.search(&text("")).unwrap();
    assert_eq!(all.total, 3);
    assert_eq!(all.hits[0].id, AppealId(3));
}

#[tokio::test]
async fn filters_restrict_by_status_body_date_and_place() {
    let index = index_with(&sample()).await;
    let with = |filters: SearchFilters| SearchQuery {
        filters,
        ..SearchQuery::default()
    };
    let status = with(SearchFilters {
        status: vec!["handling".into(), "待签收".into()],
        ..SearchFilters::default()
    });
    assert_eq!(ids(&index, &status), vec![1, 3]);
    // Body 10 leads appeal 1 and co-handles appeal 2.
    let body = with(SearchFilters {
        bodies: Some(vec![10]),
        ..SearchFilters::default()
    });
    assert_eq!(ids(&index, &body), vec![1, 2]);
    let nobody = with(SearchFilters {
        bodies: Some(vec![]),
        ..SearchFilters::default()
    });
    assert_eq!(ids(&index, &nobody), Vec::<i64>::new());
    let dates = with(SearchFilters {
        from: Some(day(2)),
        to: Some(day(10)),
        ..SearchFilters::default()
    });
    assert_eq!(ids(&index, &dates), vec![2]);
    let district = SearchQuery {
        text: "翠湖苑".into(),
        filters: SearchFilters {
            district: Some("云峰区".into()),
            category_l1: Some("城乡建设".into()),
            ..SearchFilters::default()
        },
        ..SearchQuery::default()
    };
    assert_eq!(ids(&index, &district), vec![3]);
}

#[tokio::test]
async fn bad_queries_are_explained_not_failed() {
    let index = index_with(&sample()).await;
    for q in [
        "\"路灯",
        "(路灯",
        "路灯)",
        "路灯 OR",
        "AND 路灯",
        "-路灯",
        "，。！",
    ] {
        match index.search(&text(q)) {
            Err(SearchError::BadQuery(message)) => assert!(!message.is_empty()),
            other => panic!("{q}: {other:?}"),
        }
    }
    let too_many = SearchQuery {
        limit: 1_000,
        ..text("路灯")
    };
    assert!(index.search(&too_many).unwrap_err().is_bad_query());
    let unknown_status = SearchQuery {
        filters: SearchFilters {
            status: vec!["飞了".into()],
            ..SearchFilters::default()
        },
        ..text("路灯")
    };
    let err = index.search(&unknown_status).unwrap_err();
    assert!(err.to_string().contains("飞了"), "{err}");
}

#[tokio::test]
async fn upsert_replaces_the_old_document() {
    let mut appeals = sample();
    let index = SearchIndex::in_memory().unwrap();
    let updater = index.updater(UpdaterConfig::default()).unwrap();
    let second = index.updater(UpdaterConfig::default()).unwrap_err();
    assert!(
        matches!(second, SearchError::Locked(_)),
        "one writer per index while the first is alive"
    );
    for a in &appeals {
        updater.upsert(a).await.unwrap();
    }
    appeals[0].title = "翠湖苑小区井盖缺失".into();
    appeals[0].text = "小区门口井盖缺失，很危险。".into();
    updater.upsert(&appeals[0]).await.unwrap();
    updater.upsert(&appeals[0]).await.unwrap();
    updater.flush().await.unwrap();
    assert_eq!(index.num_docs(), 3);
    assert_eq!(ids(&index, &text("井盖")), vec![1]);
    assert_eq!(ids(&index, &text("路灯")), Vec::<i64>::new());
    updater.delete(AppealId(1)).await.unwrap();
    updater.flush().await.unwrap();
    assert_eq!(index.num_docs(), 2);
}

#[tokio::test]
async fn similar_finds_the_near_duplicate_in_the_same_district_first() {
    let text_a = "柳湾区和平家园5号楼门前的井盖丢失，只剩一个黑洞，晚上路过的人很容易掉进去。";
    let appeals = vec![
        A {
            id: 1,
            title: "和平家园门前井盖丢失",
            text: text_a,
            district: "临河区",
            created: day(10),
            ..A::default()
        }
        .build(),
        A {
            id: 2,
            title: "和平家园门前井盖丢失",
            text: text_a,
            district: "柳湾区",
            created: day(3),
            ..A::default()
        }
        .build(),
        A {
            id: 3,
            title: "和平家园井盖丢失已处理",
            text: text_a,
            district: "柳湾区",
            status: Status::Closed,
            created: day(10),
            ..A::default()
        }
        .build(),
        A {
            id: 4,
            title: "幼儿园收费过高",
            text: "民办幼儿园收费过高，还要求家长额外交钱。",
            district: "柳湾区",
            created: day(10),
            ..A::default()
        }
        .build(),
        A {
            id: 5,
            title: "和平家园井盖丢失",
            text: text_a,
            district: "柳湾区",
            created: day(1) - Duration::days(200),
            ..A::default()
        }
        .build(),
    ];
    let index = index_with(&appeals).await;
    let found = index
        .similar(
            "和平家园井盖没了",
            "和平家园5号楼门口井盖丢失了，很危险，请尽快补上。",
            Some("柳湾区"),
            day(1) - Duration::days(30),
            true,
            10,
        )
        .unwrap();
    let found: Vec<i64> = found.iter().map(|(id, _)| id.0).collect();
    assert_eq!(found.first(), Some(&2), "same district first: {found:?}");
    assert!(found.contains(&1), "{found:?}");
    assert!(!found.contains(&3), "closed excluded: {found:?}");
    assert!(!found.contains(&4), "unrelated: {found:?}");
    assert!(!found.contains(&5), "too old: {found:?}");

    let with_closed = index
        .similar(
            "和平家园井盖没了",
            "井盖丢失",
            Some("柳湾区"),
            day(1),
            false,
            10,
        )
        .unwrap();
    assert!(with_closed.iter().any(|(id, _)| id.0 == 3));
}

/// A source over a list, ordered as a database would order it.
struct FakeSource(Mutex<Vec<Appeal>>);

impl AppealSource for FakeSource {
    async fn changed_since(
        &self,
        after: Watermark,
        limit: usize,
    ) -> Result<Vec<Appeal>, SourceError> {
        let mut all: Vec<Appeal> = self
            .0
            .lock()
            .unwrap()
            .iter()
            .filter(|a| Watermark::of(a) > after)
            .cloned()
            .collect();
        all.sort_by_key(Watermark::of);
        all.truncate(limit);
        Ok(all)
    }
}

struct BrokenSource;

impl AppealSource for BrokenSource {
    async fn changed_since(&self, _: Watermark, _: usize) -> Result<Vec<Appeal>, SourceError> {
        Err("connection refused".into())
    }
}

#[tokio::test]
async fn catch_up_follows_the_watermark() {
    // Five appeals updated in the same millisecond, paged two at a time.
    let mut appeals = sample();
    for i in 4..=7 {
        let mut a = appeals[0].clone();
        a.id = AppealId(i);
        appeals.push(a);
    }
    for a in &mut appeals {
        a.updated_at = day(12);
    }
    let source = FakeSource(Mutex::new(appeals));
    let index = SearchIndex::in_memory().unwrap();
    let updater = index.updater(UpdaterConfig::default()).unwrap();
    assert!(!index.search(&text("路灯")).unwrap().complete);
    assert_eq!(index.watermark(), Watermark::ZERO);

    let config = CatchUpConfig {
        page: 2,
        overlap_ms: 0,
    };
    let report = updater.catch_up(&source, &config).await.unwrap();
    assert_eq!(report.indexed, 7);
    assert_eq!(
        index.watermark(),
        Watermark {
            updated_ms: day(12).timestamp_millis(),
            id: 7
        }
    );
    let results = index.search(&text("路灯")).unwrap();
    assert!(results.complete);
    assert_eq!(results.total, 5);

    // An update after the watermark is picked up; nothing else is re-read.
    {
        let mut all = source.0.lock().unwrap();
        all[2].title = "锦绣花园电梯故障".into();
        all[2].text = "电梯经常故障。".into();
        all[2].updated_at = day(13);
    }
    let report = updater.catch_up(&source, &config).await.unwrap();
    assert_eq!(report.indexed, 1);
    assert_eq!(ids(&index, &text("电梯")), vec![3]);
    assert_eq!(index.num_docs(), 7);

    // A failing source leaves the index as it was, marked incomplete.
    let err = updater.catch_up(&BrokenSource, &config).await.unwrap_err();
    assert!(matches!(err, SearchError::Source(_)), "{err}");
    assert!(!index.search(&text("电梯")).unwrap().complete);
    assert_eq!(index.watermark().id, 3);
}

#[tokio::test]
async fn catch_up_skips_what_was_pushed_live() {
    let appeals = sample();
    let source = FakeSource(Mutex::new(appeals.clone()));
    let index = SearchIndex::in_memory().unwrap();
    let updater = index.updater(UpdaterConfig::default()).unwrap();
    for a in &appeals[..2] {
        updater.upsert(a).await.unwrap();
    }
    let config = CatchUpConfig {
        page: 100,
        overlap_ms: 0,
    };
    let report = updater.catch_up(&source, &config).await.unwrap();
    assert_eq!(report.already, 2);
    assert_eq!(report.indexed, appeals.len() as u64 - 2);
    assert_eq!(index.num_docs(), appeals.len() as u64);
    assert!(index.search(&text("路灯")).unwrap().complete);

    // A later version than the one pushed live is indexed.
    let changed = {
        let mut all = source.0.lock().unwrap();
        all[0].title = "锦绣花园电梯故障".into();
        all[0].text = "电梯经常故障。".into();
        all[0].version += 1;
        all[0].updated_at = day(20);
        all[0].clone()
    };
    let report = updater.catch_up(&source, &config).await.unwrap();
    assert_eq!((report.indexed, report.already), (1, 0));
    assert_eq!(ids(&index, &text("电梯")), vec![changed.id.0]);

    // A failed rebuild rolls back what was pushed live and not yet committed: the next
    // catch-up indexes it again instead of skipping it.
    let mut pushed = changed.clone();
    pushed.version += 1;
    pushed.updated_at = day(21);
    updater.upsert(&pushed).await.unwrap();
    source.0.lock().unwrap()[0] = pushed;
    let progress = |_: jiesu_search::RebuildProgress| {};
    assert!(
        updater
            .rebuild(&BrokenSource, &config, progress)
            .await
            .is_err()
    );
    let report = updater.catch_up(&source, &config).await.unwrap();
    assert_eq!((report.indexed, report.already), (1, 0));
}

#[tokio::test]
async fn catch_up_does_not_index_the_overlap_again() {
    let appeals = sample();
    let source = FakeSource(Mutex::new(appeals.clone()));
    let index = SearchIndex::in_memory().unwrap();
    let updater = index.updater(UpdaterConfig::default()).unwrap();
    // An overlap wider than the whole sample: every catch-up re-reads everything.
    let config = CatchUpConfig {
        page: 100,
        overlap_ms: 365 * 24 * 3_600_000,
    };
    let first = updater.catch_up(&source, &config).await.unwrap();
    assert_eq!(first.indexed, appeals.len() as u64);
    let again = updater.catch_up(&source, &config).await.unwrap();
    assert_eq!((again.indexed, again.already), (0, appeals.len() as u64));
    assert_eq!(index.num_docs(), appeals.len() as u64);
}

#[tokio::test]
async fn rebuild_replaces_everything_and_survives_a_reopen() {
    let dir = std::env::temp_dir().join(format!("jiesu-search-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let source = FakeSource(Mutex::new(sample()));
    {
        let index = SearchIndex::open(&dir).unwrap();
        let updater = index.updater(UpdaterConfig::default()).unwrap();
        // A stale document the source no longer has.
        let stale = A {
            id: 99,
            title: "早已删除的诉求",
            text: "这条诉求在数据库里已经不存在了。",
            ..A::default()
        }
        .build();
        updater.upsert(&stale).await.unwrap();
        updater.flush().await.unwrap();
        assert_eq!(index.num_docs(), 1);

        let mut pages = Vec::new();
        let report = updater
            .rebuild(
                &source,
                &CatchUpConfig {
                    page: 2,
                    overlap_ms: 0,
                },
                |p| pages.push(p.indexed),
            )
            .await
            .unwrap();
        assert_eq!(report.indexed, 3);
        assert_eq!(pages, vec![2, 3]);
        assert_eq!(index.num_docs(), 3);
        assert!(ids(&index, &text("删除")).is_empty());
        assert!(index.search(&text("路灯")).unwrap().complete);

        // A failed rebuild keeps the old index.
        let err = updater
            .rebuild(&BrokenSource, &CatchUpConfig::default(), |_| {})
            .await
            .unwrap_err();
        assert!(matches!(err, SearchError::Source(_)));
        assert_eq!(index.num_docs(), 3);
        tokio::task::spawn_blocking(move || updater.close())
            .await
            .unwrap()
            .unwrap();
    }
    let reopened = SearchIndex::open(&dir).unwrap();
    assert_eq!(reopened.num_docs(), 3);
    assert_eq!(reopened.watermark().id, 3);
    assert_eq!(ids(&reopened, &text("暖气")), vec![3]);
    drop(reopened);
    std::fs::remove_dir_all(&dir).unwrap();
}
