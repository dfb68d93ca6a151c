//! Liaison stations (人大代表联络站): a station and its representatives; receptions (接待)
//! whose items become appeals with the station as channel; and the station's cycle —
//! 汇总梳理 (its items of a period grouped by subject and place), 分析研判 and 交办督办 (each
//! item answered on the spot, dispatched, made a suggestion or a task in one step), and
//! 反馈评价 (every item's outcome and the citizen's rating, a feedback sheet per reception).

use chrono::{NaiveDate, Utc};
use jiesu_domain::DomainError;
use jiesu_domain::appeal::Appeal;
use jiesu_domain::deadline::china_local;
use jiesu_domain::event::EventKind;
use jiesu_domain::ids::{AppealId, BodyId};
use jiesu_domain::kinds::Channel;
use jiesu_domain::station::{ReceptionDraft, StationDraft, Triage};
use jiesu_domain::task::{Cadence, TaskDraft, TaskFacts};
use jiesu_domain::user::{Actor, Role, User};
use jiesu_store::{Page, StationItem, StoredReception, StoredStation, StoredTask};

use crate::App;
use crate::error::{AppError, AppResult};
use crate::intake::IntakeRequest;

pub mod grouping;

use grouping::Subject;

/// Most items one reception records.
pub const MAX_RECEPTION_ITEMS: usize = 50;
/// Longest period a station's review covers (days).
pub const MAX_REVIEW_DAYS: i64 = 366;

/// Whether `user` may see a station's page: its own representatives, the supervision office,
/// leaders and administrators.
pub fn may_see(user: &User, station: &StationDraft) -> bool {
    matches!(user.role, Role::Supervisor | Role::Leader | Role::Admin) || may_receive(user, station)
}

/// Whether `user` receives at the station (one of its representatives).
pub fn may_receive(user: &User, station: &StationDraft) -> bool {
    user.role == Role::Representative && station.representatives.contains(&user.id)
}

/// Whether `user` may judge and hand over the station's items (分析研判, 交办督办).
pub fn may_triage(user: &User, station: &StationDraft) -> bool {
    matches!(user.role, Role::Supervisor | Role::Admin) || may_receive(user, station)
}

fn refused(message: &str) -> AppError {
    DomainError::Refused(message.into()).into()
}

/// One reception as the edges receive it: the day, a note, the items raised.
pub struct ReceptionRequest {
    pub held_on: NaiveDate,
    pub note: String,
    pub items: Vec<IntakeRequest>,
}

/// What a reception recorded.
#[derive(Debug, Clone)]
pub struct Received {
    pub reception: i64,
    pub appeals: Vec<Appeal>,
}

/// An item of the station with its appeal and the task it became.
#[derive(Debug, Clone)]
pub struct ReviewItem {
    pub item: StationItem,
    pub appeal: Appeal,
    pub task: Option<StoredTask>,
}

impl ReviewItem {
    /// Where it stands: the judgement and what came of it (办理结果).
    pub fn outcome(&self, today: NaiveDate) -> String {
        let status = self.appeal.status.label();
        match (&self.item.triage, &self.task) {
            (None, _) => format!("待研判 · {status}"),
            (Some(Triage::Task), Some(task)) => {
                format!("转任务 · {}", task_status(task, today).label())
            }
            (Some(triage), _) => format!("{} · {status}", triage.label()),
        }
    }

    /// The citizen's rating: the callback's (回访) or their own (市民评价).
    pub fn rating(&self) -> Option<&'static str> {
        self.appeal
            .callback
            .as_ref()
            .map(|c| c.satisfaction.label())
            .or(self.appeal.citizen_rating.map(|r| r.label()))
    }
}

/// A task's status today, from what the task store keeps.
pub fn task_status(task: &StoredTask, today: NaiveDate) -> jiesu_domain::task::TaskStatus {
    TaskFacts {
        published: task.published_at.is_some(),
        closed: task.closed_at.is_some(),
        due: task.draft.due,
        accepted_percent: None,
        reported: false,
    }
    .status(today)
}

/// Items about one subject at one place (汇总梳理).
#[derive(Debug, Clone)]
pub struct ReviewGroup {
    pub subject: String,
    pub place: String,
    pub keywords: Vec<String>,
    pub items: Vec<ReviewItem>,
}

/// A station's items of a period, grouped.
#[derive(Debug, Clone)]
pub struct StationReview {
    pub station: StoredStation,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub groups: Vec<ReviewGroup>,
    pub receptions: Vec<StoredReception>,
}

/// A reception's feedback sheet (反馈单).
#[derive(Debug, Clone)]
pub struct ReceptionSheet {
    pub station: StoredStation,
    pub reception: StoredReception,
    pub received_by: String,
    pub items: Vec<ReviewItem>,
}

/// A judgement of one item (分析研判) to carry out (交办督办).
#[derive(Debug, Clone)]
pub struct TriageRequest {
    pub triage: Triage,
    /// The answer given on the spot, the suggestion, or the dispatch note.
    pub note: String,
    /// The body it is dispatched to, or that leads the task.
    pub body: Option<BodyId>,
}

impl App {
    /// Adds a station, or changes station `id`; every representative named must be a user
    /// with the representative role.
    pub async fn save_station(&self, id: Option<i64>, draft: StationDraft) -> AppResult<i64> {
        let draft = draft.validated()?;
        let users = self.store.users().await?;
        for rep in &draft.representatives {
            if !users
                .iter()
                .any(|u| u.id == *rep && u.role == Role::Representative)
            {
                return Err(DomainError::InvalidField {
                    field: "representatives",
                    reason: format!("用户 {rep} 不是人大代表"),
                }
                .into());
            }
        }
        match id {
            None => Ok(self.store.create_station(&draft, Utc::now()).await?),
            Some(id) => {
                self.store.update_station(id, &draft).await?;
                Ok(id)
            }
        }
    }

    /// The stations `user` may see.
    pub async fn stations_of(&self, user: &User) -> AppResult<Vec<StoredStation>> {
        Ok(self
            .store
            .stations()
            .await?
            .into_iter()
            .filter(|s| may_see(user, &s.draft))
            .collect())
    }

    /// Station `id` if `user` may see it.
    pub async fn station_for(&self, user: &User, id: i64) -> AppResult<StoredStation> {
        let station = self.store.station(id).await?;
        if !may_see(user, &station.draft) {
            return Err(refused("只有本站的人大代表和督办人员可以查看此联络站"));
        }
        Ok(station)
    }

    /// Records a reception by `user`, one of the station's representatives: each item is
    /// taken in as an appeal with the station as channel and linked to the reception. Every
    /// item passes intake's checks first; then the reception, its appeals and their links
    /// are written in one transaction — a refused item leaves nothing recorded.
    pub async fn receive(
        &self,
        user: &User,
        station: i64,
        request: ReceptionRequest,
    ) -> AppResult<Received> {
        let stored = self.store.station(station).await?;
        if !may_receive(user, &stored.draft) {
            return Err(refused("只有本站的人大代表可以登记接待"));
        }
        if request.items.is_empty() || request.items.len() > MAX_RECEPTION_ITEMS {
            return Err(DomainError::InvalidField {
                field: "items",
                reason: format!("一次接待须登记 1 到 {MAX_RECEPTION_ITEMS} 件群众反映"),
            }
            .into());
        }
        let today = china_local(Utc::now()).date();
        if request.held_on > today {
            return Err(DomainError::InvalidField {
                field: "held_on",
                reason: "接待日期不能晚于今天".into(),
            }
            .into());
        }
        let draft = ReceptionDraft {
            station,
            held_on: request.held_on,
            received_by: user.id,
            note: request.note,
        }
        .validated()?;
        let mut registrations = Vec::with_capacity(request.items.len());
        for (n, mut item) in request.items.into_iter().enumerate() {
            if !item.files.is_empty() {
                return Err(refused("接待登记不收附件"));
            }
            item.channel = Some(Channel::LiaisonStation);
            let registration = self
                .registration(item, Channel::LiaisonStation, Actor::user(user), None, None)
                .await
                .map_err(|e| item_error(n, e))?;
            registrations.push(registration);
        }
        let (reception, registered) = self
            .store
            .record_reception(&draft, &registrations, Utc::now())
            .await?;
        let mut appeals = Vec::with_capacity(registered.len());
        for r in registered {
            self.tell_citizen(
                &r.appeal,
                &[crate::notify::MessageEvent::Received],
                &r.query_code,
            )
            .await;
            self.changed(&r.appeal).await;
            appeals.push(r.appeal);
        }
        Ok(Received { reception, appeals })
    }

    /// A station's items of the receptions held `from ..= to`, grouped by subject and place
    /// with the hot-issue grouping (every item in one group, alone if need be).
    pub async fn station_review(
        &self,
        user: &User,
        station: i64,
        from: NaiveDate,
        to: NaiveDate,
    ) -> AppResult<StationReview> {
        let station = self.station_for(user, station).await?;
        if to < from || (to - from).num_days() > MAX_REVIEW_DAYS {
            return Err(DomainError::InvalidField {
                field: "to",
                reason: format!("统计期须从起始日到截止日，最长 {MAX_REVIEW_DAYS} 天"),
            }
            .into());
        }
        let items = self
            .store
            .station_items(station.id, None, Some((from, to)))
            .await?;
        let items = self.review_items(items).await?;
        let receptions = self.store.receptions(station.id, Page::new(0, 50)).await?;
        Ok(StationReview {
            station,
            from,
            to,
            groups: group(items).await?,
            receptions,
        })
    }

    /// The feedback sheet of one reception (反馈单).
    pub async fn reception_sheet(
        &self,
        user: &User,
        station: i64,
        reception: i64,
    ) -> AppResult<ReceptionSheet> {
        let station = self.station_for(user, station).await?;
        let stored = self.store.reception(reception).await?;
        if stored.draft.station != station.id {
            return Err(jiesu_store::StoreError::NotFound("接待记录").into());
        }
        let items = self
            .store
            .station_items(station.id, Some(reception), None)
            .await?;
        let received_by = self
            .store
            .users()
            .await?
            .into_iter()
            .find(|u| u.id == stored.draft.received_by)
            .map(|u| u.display_name)
            .unwrap_or_default();
        Ok(ReceptionSheet {
            station,
            reception: stored,
            received_by,
            items: self.review_items(items).await?,
        })
    }

    /// Judges one of the station's items and carries the judgement out in one step:
    /// 当场答复 and 转建议 are noted on the appeal's timeline, 转派单 dispatches it through
    /// the workflow to the body chosen (or leaves it to 12345's dispatchers when none is),
    /// 转任务 makes it a published task led by the body chosen.
    pub async fn triage(
        &self,
        user: &User,
        station: i64,
        appeal: AppealId,
        request: TriageRequest,
    ) -> AppResult<Option<i64>> {
        let station = self.store.station(station).await?;
        if !may_triage(user, &station.draft) {
            return Err(refused("只有本站的人大代表和督办人员可以研判交办"));
        }
        let item = self
            .store
            .station_items(station.id, None, None)
            .await?
            .into_iter()
            .find(|i| i.appeal == appeal)
            .ok_or(jiesu_store::StoreError::NotFound("联络站诉求"))?;
        if item.task.is_some() {
            return Err(refused("此件已转为任务，不能再次交办"));
        }
        let note = jiesu_domain::appeal::clean_text(
            "note",
            &request.note,
            2000,
            request.triage == Triage::AnswerOnSpot,
        )?;
        let actor = Actor::user(user);
        let body = match request.body {
            Some(id) => Some(
                self.store
                    .bodies()
                    .await?
                    .into_iter()
                    .find(|b| b.id == id)
                    .ok_or(jiesu_store::StoreError::NotFound("承办单位"))?,
            ),
            None => None,
        };
        let mut task = None;
        let comment = match request.triage {
            Triage::AnswerOnSpot => Some(format!("联络站当场答复：{note}")),
            Triage::Suggestion => Some(format!("联络站研判：转代表建议。{note}")),
            Triage::Dispatch => match &body {
                Some(body) => {
                    let kind = EventKind::Dispatch {
                        lead: body.id,
                        co: Vec::new(),
                        note: note.clone(),
                        category: None,
                        auto: None,
                    };
                    self.act(appeal, kind, &actor, None).await?;
                    None
                }
                None => Some(format!("联络站研判：转派单，请派单员派发。{note}")),
            },
            Triage::Task => {
                let body = body.as_ref().ok_or_else(|| DomainError::InvalidField {
                    field: "body",
                    reason: "转任务须选择牵头单位".into(),
                })?;
                let stored = self.store.appeal(appeal).await?;
                let draft = TaskDraft {
                    document: format!("{}接待交办", station.draft.name),
                    number: stored.number.0.clone(),
                    section: "联络站交办".into(),
                    title: stored.title.clone(),
                    text: if note.is_empty() {
                        stored.text.clone()
                    } else {
                        format!("{}\n{note}", stored.text)
                    },
                    lead_bodies: vec![body.name.clone()],
                    co_bodies: Vec::new(),
                    due: None,
                    cadence: Cadence::None,
                }
                .validated()?;
                let id = self.publish_task(draft).await?;
                task = Some(id);
                Some(format!("联络站研判：转任务（任务编号 {id}）"))
            }
        };
        // The judgement (and the task it made) is kept before the note on the timeline, so a
        // task is never made twice for one item.
        self.store
            .triage_item(appeal, request.triage, &note, task, Utc::now())
            .await?;
        if let Some(text) = comment {
            self.act(appeal, EventKind::Comment { text }, &actor, None)
                .await?;
        }
        Ok(task)
    }

    /// Stores a task and publishes it at once (a station's or a meeting's), by the task
    /// list's own functions.
    pub(crate) async fn publish_task(&self, draft: TaskDraft) -> AppResult<i64> {
        let now = Utc::now();
        let ids = self.store.create_task_drafts(&[draft], now).await?;
        crate::tasks::publish_with_bodies(&*self.store, &ids, &Default::default(), now).await?;
        ids.first()
            .copied()
            .ok_or_else(|| AppError::Internal("no task id returned".into()))
    }

    /// The items with their appeals and tasks.
    async fn review_items(&self, items: Vec<StationItem>) -> AppResult<Vec<ReviewItem>> {
        let ids: Vec<AppealId> = items.iter().map(|i| i.appeal).collect();
        let appeals = self.store.appeals_by_ids(&ids).await?;
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            let Some(appeal) = appeals.iter().find(|a| a.id == item.appeal).cloned() else {
                continue;
            };
            let task = match item.task {
                Some(id) => Some(self.store.task(id).await?),
                None => None,
            };
            out.push(ReviewItem { item, appeal, task });
        }
        Ok(out)
    }
}

/// Groups items by subject and place ([`grouping`]), every item in a group.
async fn group(items: Vec<ReviewItem>) -> AppResult<Vec<ReviewGroup>> {
    let subjects: Vec<Subject> = items
        .iter()
        .map(|i| Subject {
            id: i.appeal.number.0.clone(),
            user: i
                .appeal
                .citizen
                .phone
                .clone()
                .or(i.appeal.citizen.name.clone())
                .unwrap_or_else(|| format!("匿名{}", i.appeal.id)),
            title: i.appeal.title.clone(),
            address: i.appeal.place.address.clone(),
            text: i.appeal.text.clone(),
            time: china_local(i.appeal.created_at),
        })
        .collect();
    let found = tokio::task::spawn_blocking(move || grouping::group(&subjects))
        .await
        .map_err(|e| AppError::Internal(format!("station grouping: {e}")))?;
    let mut items: Vec<Option<ReviewItem>> = items.into_iter().map(Some).collect();
    Ok(found
        .into_iter()
        .map(|g| ReviewGroup {
            subject: g.subject,
            place: g.place,
            keywords: g.keywords,
            items: g
                .members
                .iter()
                .filter_map(|&m| items.get_mut(m).and_then(Option::take))
                .collect(),
        })
        .collect())
}

/// An item's refusal, naming the item (第 N 件) so the whole reception can be corrected.
fn item_error(n: usize, error: AppError) -> AppError {
    match error {
        AppError::Domain(DomainError::InvalidField { field, reason }) => {
            DomainError::InvalidField {
                field,
                reason: format!("第 {} 件：{reason}", n + 1),
            }
            .into()
        }
        other => other,
    }
}

/// The first and last day of the month `date` is in.
pub fn month_of(date: NaiveDate) -> (NaiveDate, NaiveDate) {
    use chrono::Datelike;
    let first = date.with_day(1).unwrap_or(date);
    let next = first
        .checked_add_months(chrono::Months::new(1))
        .unwrap_or(first);
    (first, next.pred_opt().unwrap_or(first))
}

/// Today in China.
pub fn today() -> NaiveDate {
    china_local(Utc::now()).date()
}
