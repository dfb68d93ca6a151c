//! The application layer of jiesu (应用层): every use case the pages, the JSON API and the
//! CLI's jobs run, each a function or a method of [`App`] over the [`Store`] and the domain.
//! The edges parse, authorize and shape answers; what happens is decided here (the rules
//! themselves live in `jiesu-domain`), and stored through `jiesu-store`.
//!
//! - [`App`]: the application a process runs — the store, the settings every server sees,
//!   the dispatch assistant, the intake queue, the search index.
//! - [`attachments`]: files on appeals and replies (附件): checked, stored, served to those
//!   who may see them.
//! - [`intake`]: intake (受理), including answering on the spot (直办) in one transaction.
//! - [`workflow`]: an action on an appeal (流转) becomes a recorded event.
//! - [`returns`]: a body's return judged by the dispatcher (退单审核), with the re-dispatch.
//! - [`following`]: merged appeals follow their lead's answer (随主件答复).
//! - [`scanner`]: the deadline scanner (时限扫描): automatic reminders and escalation.
//! - [`settings`]: time limits, calendar, taxonomy, routing and escalation as stored, and the
//!   live copy every server reloads when the settings stamp moves.
//! - [`dispatch`]: smart dispatch (智能派单): the assistant's suggestion and model training.
//! - [`visibility`]: what a caller may see (可见范围), the one rule every read path applies.
//! - [`assessment`]: assessment of bodies (考核): rates, scores, rankings, weights, disputes.
//! - [`report`]: the monthly report (月度报告), gathered and written as a workbook.
//! - [`search`], [`hot`]: full-text search and hot issues (热点问题).
//! - [`listing`]: walking through many appeals page by page.
//! - [`notify`]: telling citizens (通知): the outbox and its senders.
//! - [`open311`]: Open311 GeoReport v2 (开放311接口): categories as services, appeals as requests.
//! - [`replies`]: reply review (答复评价): scores shown before approval, kept with the decision.
//! - [`points`]: service points (便民点位): kinds, import/export, nearest, map, complaints.
//! - [`tasks`]: government tasks (督查督办): policy task lists imported as drafts, published.
//! - [`stations`], [`meetings`]: liaison stations (联络站) and their receptions; meetings
//!   (协商会议, 月调度 …) whose issues become tasks.
//! - [`campaigns`]: suggestion campaigns (民生实事意见征集): proposals, support, grouping,
//!   bodies' answers, tasks of adopted groups, publishing, export.
//! - [`auth`]: password hashing and the secrets of sessions, tokens and query codes.
//! - [`error`]: the application's typed errors.
//!
//! [`Store`]: jiesu_store::Store

mod app;
pub mod assessment;
pub mod attachments;
pub mod auth;
pub mod campaigns;
pub mod dispatch;
pub mod error;
pub mod facts_backfill;
pub mod following;
pub mod hot;
pub mod intake;
pub mod listing;
pub mod meetings;
pub mod notify;
pub mod open311;
pub mod points;
pub mod replies;
pub mod report;
pub mod returns;
pub mod scanner;
pub mod search;
pub mod settings;
pub mod stations;
pub mod tasks;
pub mod visibility;
pub mod workflow;

pub use app::App;
pub use error::{AppError, AppResult};
