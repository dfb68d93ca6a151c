//! The review of one reply (答复评价): four scores, their weighted overall and the gaps in
//! Chinese a reviewer reads before approving.

use chrono::{Duration, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::completeness::completeness;
use super::corpus::AppealCorpus;
use super::relevance::{Addressee, relevance};
use super::timeliness::timeliness;
use super::tone::tone;
use crate::place::{Gazetteer, fold};

/// The appeal a reply answers, as the review reads it.
#[derive(Debug, Clone, Copy)]
pub struct AppealForReview<'a> {
    /// 诉求标题.
    pub title: &'a str,
    /// 诉求内容.
    pub text: &'a str,
    /// The citizen's handle or name as a reply would address them (留言用户), when known.
    pub citizen: Option<&'a str>,
    /// When the appeal was received (local time).
    pub received: NaiveDateTime,
    /// When the reply was due; [`DEFAULT_LIMIT_DAYS`] after `received` when unknown.
    pub deadline: Option<NaiveDateTime>,
}

/// The reply limit assumed when an appeal carries no deadline: 15 working days, about three
/// calendar weeks.
pub const DEFAULT_LIMIT_DAYS: i64 = 21;

/// What a reply lacks (答复缺项), each with its Chinese wording.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Gap {
    /// The reply seems to answer another appeal.
    OffTopic,
    /// The appeal's subject is not taken up.
    SubjectMissing,
    /// The appeal's place (named) is not mentioned.
    PlaceMissing(String),
    /// The reply addresses another citizen.
    OtherCitizen,
    /// 调查核实 missing.
    NoFindings,
    /// 处理结果 missing.
    NoOutcome,
    /// 依据 missing.
    NoBasis,
    /// Contact or next step missing.
    NoContact,
    /// Formulas only.
    BoilerplateOnly,
    NoGreeting,
    NoThanks,
    /// Blame put on the citizen.
    Blame,
    /// Replied after the deadline, late by so many days (rounded up).
    Late {
        days: i64,
    },
}

impl Gap {
    /// The gap as the reviewer reads it.
    pub fn message(&self) -> String {
        match self {
            Gap::OffTopic => "答复内容与本诉求关联度低，疑似答复其他诉求".into(),
            Gap::SubjectMissing => "未回应诉求事项".into(),
            Gap::PlaceMissing(place) => format!("未提及诉求地点（{place}）"),
            Gap::OtherCitizen => "答复对象与来信人不符".into(),
            Gap::NoFindings => "未说明调查核实情况".into(),
            Gap::NoOutcome => "未说明处理结果".into(),
            Gap::NoBasis => "未说明依据".into(),
            Gap::NoContact => "未告知联系方式或后续安排".into(),
            Gap::BoilerplateOnly => "仅有套话".into(),
            Gap::NoGreeting => "缺少问候语".into(),
            Gap::NoThanks => "缺少致谢".into(),
            Gap::Blame => "含指责群众的措辞".into(),
            Gap::Late { days } => format!("超过办理时限答复（逾期 {days} 天）"),
        }
    }
}

/// The scores of one reply, each 0..1, and its gaps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReplyReview {
    /// 针对性: answers this appeal, not a neighbouring one.
    pub relevance: f64,
    /// 完整性: findings, outcome, basis, contact.
    pub completeness: f64,
    /// 语气规范: greeting, thanks, no blame, not formulas only.
    pub tone: f64,
    /// 及时性: replied by the deadline.
    pub timeliness: f64,
    /// 综合: the weighted mean of the four.
    pub overall: f64,
    /// What the reply lacks, most important first.
    pub gaps: Vec<Gap>,
}

/// Relevance and completeness weigh most: a polite, punctual reply to another appeal
/// answers nothing.
const WEIGHTS: [f64; 4] = [0.35, 0.35, 0.15, 0.15];

/// Scores replies against their appeals (答复评价器), with rarities from a corpus of appeals
/// and places recognised by a gazetteer.
#[derive(Debug, Clone)]
pub struct ReplyReviewer {
    corpus: AppealCorpus,
    places: Gazetteer,
}

impl ReplyReviewer {
    /// A reviewer over the appeals of `corpus`, recognising places by `places`.
    pub fn new(corpus: AppealCorpus, places: Gazetteer) -> Self {
        Self { corpus, places }
    }

    /// The corpus rarities are read from.
    pub fn corpus(&self) -> &AppealCorpus {
        &self.corpus
    }

    /// Reviews `reply`, written at `replied`, against `appeal`.
    pub fn review(
        &self,
        appeal: &AppealForReview<'_>,
        reply: &str,
        replied: NaiveDateTime,
    ) -> ReplyReview {
        let mut gaps = Vec::new();
        let folded = fold(reply);
        let title = fold(appeal.title);
        let found = relevance(appeal, &folded, &title, &self.corpus, &self.places);
        if found.score < 0.5 {
            gaps.push(Gap::OffTopic);
        }
        if found.addressee == Addressee::Other {
            gaps.push(Gap::OtherCitizen);
        }
        if found.subject_cover < 0.3 {
            gaps.push(Gap::SubjectMissing);
        }
        if let Some(place) = found.missing_place {
            gaps.push(Gap::PlaceMissing(place));
        }
        let (complete, boilerplate_only) = completeness(&folded, &title, &mut gaps);
        let tone = tone(&folded, boilerplate_only, &mut gaps);
        let deadline = appeal
            .deadline
            .unwrap_or(appeal.received + Duration::days(DEFAULT_LIMIT_DAYS));
        let timely = timeliness(appeal.received, deadline, replied, &mut gaps);
        let scores = [found.score, complete, tone, timely];
        let overall = scores.iter().zip(WEIGHTS).map(|(s, w)| s * w).sum();
        ReplyReview {
            relevance: found.score,
            completeness: complete,
            tone,
            timeliness: timely,
            overall,
            gaps,
        }
    }
}
