//! A body's counts over a period (考核计数) and the rates they give (三率 and the rest), each
//! with its 95% Wilson interval.

use serde::{Deserialize, Serialize};

/// What the facts of a body's stints in a period add up to. Stints a dispute (申诉) took out
/// of the counting are not in it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Cases dispatched to the body as lead (派单量).
    pub cases: i64,
    pub signed_on_time: i64,
    /// Stints whose sign stage ended or went overdue.
    pub sign_decided: i64,
    pub contacted_on_time: i64,
    pub contact_decided: i64,
    pub replied_on_time: i64,
    pub reply_decided: i64,
    pub called_back: i64,
    pub solved: i64,
    pub rated: i64,
    /// 满意 or 基本满意.
    pub satisfied: i64,
    pub returns: i64,
    /// Returns the dispatcher rejected (无效退单).
    pub invalid_returns: i64,
    pub closed: i64,
    /// Closed cases followed within 30 days by a repeat (重复诉求).
    pub repeated: i64,
    pub reminders: i64,
    pub supervisions: i64,
    pub reopened: i64,
    /// Stints with any stage late (超期).
    pub overdue: i64,
    /// The body's replies scored in the period (答复评价).
    pub reviewed: i64,
    /// Their overall scores (0..1) summed, in thousandths: four replies of mean 0.75 → 3000.
    pub review_points: i64,
    /// Government tasks (督查督办) the body leads whose deadline fell in the period and is
    /// decided: done, or passed without being done.
    #[serde(default)]
    pub tasks_decided: i64,
    /// Of those, the ones done by their deadline (按期完成).
    #[serde(default)]
    pub tasks_on_time: i64,
    /// Progress reports (进展报送) the body sent in the period that answered a reporting day.
    #[serde(default)]
    pub task_reports: i64,
    /// Of those, the ones sent by their day (按时报送).
    #[serde(default)]
    pub task_reports_on_time: i64,
}

impl std::ops::AddAssign for Counts {
    fn add_assign(&mut self, o: Counts) {
        self.cases += o.cases;
        self.signed_on_time += o.signed_on_time;
        self.sign_decided += o.sign_decided;
        self.contacted_on_time += o.contacted_on_time;
        self.contact_decided += o.contact_decided;
        self.replied_on_time += o.replied_on_time;
        self.reply_decided += o.reply_decided;
        self.called_back += o.called_back;
        self.solved += o.solved;
        self.rated += o.rated;
        self.satisfied += o.satisfied;
        self.returns += o.returns;
        self.invalid_returns += o.invalid_returns;
        self.closed += o.closed;
        self.repeated += o.repeated;
        self.reminders += o.reminders;
        self.supervisions += o.supervisions;
        self.reopened += o.reopened;
        self.overdue += o.overdue;
        self.reviewed += o.reviewed;
        self.review_points += o.review_points;
        self.tasks_decided += o.tasks_decided;
        self.tasks_on_time += o.tasks_on_time;
        self.task_reports += o.task_reports;
        self.task_reports_on_time += o.task_reports_on_time;
    }
}

/// The rates assessed (考核指标). Higher is better except where [`RateKind::lower_is_better`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RateKind {
    /// 及时签收率.
    SignOnTime,
    /// 响应率: first contact on time.
    Response,
    /// 按期办结率: replied within the limit.
    CloseOnTime,
    /// 解决率: solved over called back.
    Resolution,
    /// 满意率: 满意 + 基本满意 over rated.
    Satisfaction,
    /// 无效退单率: rejected returns over returns.
    InvalidReturn,
    /// 重复诉求率: repeated over closed.
    Repeat,
    /// 答复评价均分: the mean overall score of the body's scored replies.
    ReplyReview,
    /// 任务按期完成率: the body's government tasks done by their deadline.
    TaskOnTime,
    /// 进展按时报送率: the body's progress reports sent by their reporting day.
    TaskReportOnTime,
}

impl RateKind {
    pub const ALL: [RateKind; 10] = [
        RateKind::SignOnTime,
        RateKind::Response,
        RateKind::CloseOnTime,
        RateKind::Resolution,
        RateKind::Satisfaction,
        RateKind::InvalidReturn,
        RateKind::Repeat,
        RateKind::ReplyReview,
        RateKind::TaskOnTime,
        RateKind::TaskReportOnTime,
    ];

    pub fn label(self) -> &'static str {
        match self {
            RateKind::SignOnTime => "及时签收率",
            RateKind::Response => "响应率",
            RateKind::CloseOnTime => "按期办结率",
            RateKind::Resolution => "解决率",
            RateKind::Satisfaction => "满意率",
            RateKind::InvalidReturn => "无效退单率",
            RateKind::Repeat => "重复诉求率",
            RateKind::ReplyReview => "答复评价均分",
            RateKind::TaskOnTime => "任务按期完成率",
            RateKind::TaskReportOnTime => "进展按时报送率",
        }
    }

    /// The snake-case name used in the API and the weights.
    pub fn code(self) -> &'static str {
        match self {
            RateKind::SignOnTime => "sign_on_time",
            RateKind::Response => "response",
            RateKind::CloseOnTime => "close_on_time",
            RateKind::Resolution => "resolution",
            RateKind::Satisfaction => "satisfaction",
            RateKind::InvalidReturn => "invalid_return",
            RateKind::Repeat => "repeat",
            RateKind::ReplyReview => "reply_review",
            RateKind::TaskOnTime => "task_on_time",
            RateKind::TaskReportOnTime => "task_report_on_time",
        }
    }

    /// Rates that count against the body as they grow.
    pub fn lower_is_better(self) -> bool {
        matches!(self, RateKind::InvalidReturn | RateKind::Repeat)
    }

    /// Numerator and denominator in `counts` (for the reply review: thousandths of points
    /// over a thousand per reply).
    pub fn of(self, c: &Counts) -> (i64, i64) {
        match self {
            RateKind::SignOnTime => (c.signed_on_time, c.sign_decided),
            RateKind::Response => (c.contacted_on_time, c.contact_decided),
            RateKind::CloseOnTime => (c.replied_on_time, c.reply_decided),
            RateKind::Resolution => (c.solved, c.called_back),
            RateKind::Satisfaction => (c.satisfied, c.rated),
            RateKind::InvalidReturn => (c.invalid_returns, c.returns),
            RateKind::Repeat => (c.repeated, c.closed),
            RateKind::ReplyReview => (c.review_points, c.reviewed * 1000),
            RateKind::TaskOnTime => (c.tasks_on_time, c.tasks_decided),
            RateKind::TaskReportOnTime => (c.task_reports_on_time, c.task_reports),
        }
    }
}

/// One rate: numerator over denominator, its value and 95% interval; no value without cases.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Rate {
    pub kind: RateKind,
    pub numerator: i64,
    pub denominator: i64,
    pub value: Option<f64>,
    /// The Wilson score interval at 95%.
    pub low: Option<f64>,
    pub high: Option<f64>,
}

/// z for a two-sided 95% interval.
const Z95: f64 = 1.959_963_984_540_054;

/// The Wilson score interval of `k` successes in `n` trials at 95%.
pub fn wilson(k: i64, n: i64) -> Option<(f64, f64)> {
    (n > 0).then(|| wilson_share(k as f64 / n as f64, n as f64))
}

/// The Wilson interval of a share `p` seen over `n` cases; for a mean of scores in 0..1
/// (whose variance is at most p(1−p)) a conservative interval.
fn wilson_share(p: f64, n: f64) -> (f64, f64) {
    let z2 = Z95 * Z95;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = Z95 / (1.0 + z2 / n) * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

impl Rate {
    pub fn of(kind: RateKind, counts: &Counts) -> Rate {
        let (numerator, denominator) = kind.of(counts);
        let interval = match kind {
            // A mean over the scored replies: the interval is over their number.
            RateKind::ReplyReview => (denominator > 0).then(|| {
                wilson_share(
                    numerator as f64 / denominator as f64,
                    counts.reviewed as f64,
                )
            }),
            _ => wilson(numerator, denominator),
        };
        Rate {
            kind,
            numerator,
            denominator,
            value: (denominator > 0).then(|| numerator as f64 / denominator as f64),
            low: interval.map(|i| i.0),
            high: interval.map(|i| i.1),
        }
    }

    /// Every rate of `counts`, in [`RateKind::ALL`]'s order.
    pub fn all(counts: &Counts) -> Vec<Rate> {
        RateKind::ALL.iter().map(|k| Rate::of(*k, counts)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_matches_the_textbook() {
        // 8 of 10: the interval is about 0.490..0.943.
        let (low, high) = wilson(8, 10).unwrap();
        assert!((low - 0.4902).abs() < 1e-3 && (high - 0.9433).abs() < 1e-3);
        let (low, high) = wilson(0, 5).unwrap();
        assert_eq!(low, 0.0);
        assert!(high > 0.4 && high < 0.45);
        assert!(wilson(0, 0).is_none());
    }

    #[test]
    fn rates_read_their_counts() {
        let counts = Counts {
            called_back: 4,
            solved: 3,
            ..Counts::default()
        };
        let r = Rate::of(RateKind::Resolution, &counts);
        assert_eq!((r.numerator, r.denominator, r.value), (3, 4, Some(0.75)));
        assert_eq!(Rate::of(RateKind::Satisfaction, &counts).value, None);
        let reviewed = Counts {
            reviewed: 4,
            review_points: 3000,
            ..Counts::default()
        };
        let r = Rate::of(RateKind::ReplyReview, &reviewed);
        assert_eq!(r.value, Some(0.75));
        let (low, high) = (r.low.unwrap(), r.high.unwrap());
        assert!(
            low < 0.4 && high > 0.95,
            "an interval over 4 replies: {low}..{high}"
        );
    }
}
