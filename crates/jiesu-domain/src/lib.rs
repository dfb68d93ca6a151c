//! The jiesu domain core (领域核心): appeals and their lifecycle, bodies, users and roles,
//! categories, the working-day calendar and deadlines. Pure: no I/O, no clock reads — the
//! caller passes the time in.
//!
//! - [`appeal`]: the appeal (诉求) and its validated draft.
//! - [`attachment`]: files on appeals and replies (附件): kinds by content, limits.
//! - [`auto_dispatch`]: automatic dispatch (自动派单): the admins' settings and the rule.
//! - [`action`]: the actions (操作) people and the system take on an appeal.
//! - [`event`]: the events (事件) that make up an appeal's timeline, hash-chained.
//! - [`lifecycle`]: which action is legal when and for whom, and what it changes.
//! - [`merge`]: merged appeals (并案) and how followers take over their lead's answer.
//! - [`status`], [`kinds`]: the closed vocabularies.
//! - [`body`], [`user`]: bodies (承办单位) in a tree, staff users and roles.
//! - [`category`]: the three-level taxonomy (诉求分类).
//! - [`calendar`], [`deadline`]: working days and time limits (时限).
//! - [`notice`]: who must hear of an event (消息提醒).
//! - [`knowledge`]: the knowledge base's articles (知识库).
//! - [`routing`]: the admins' routing table, category × area → body (派单规则).
//! - [`assessment`]: assessment of bodies (考核): facts, rates, weights, score, disputes.
//! - [`password`]: the password policy (密码规则).
//! - [`task`]: government tasks (任务, 督查督办), their reporting cadence and status.
//! - [`station`]: liaison stations (联络站), receptions, and meetings whose issues become tasks.
//! - [`point`]: service points (便民点位) on the map, their kinds and facility checklists.
//! - [`campaign`]: suggestion campaigns (民生实事意见征集), proposals, answers to their groups.

pub mod action;
pub mod appeal;
pub mod assessment;
pub mod attachment;
pub mod auto_dispatch;
pub mod body;
pub mod calendar;
pub mod campaign;
pub mod category;
pub mod deadline;
pub mod error;
pub mod event;
pub mod ids;
pub mod kinds;
pub mod knowledge;
pub mod lifecycle;
pub mod merge;
pub mod notice;
pub mod password;
pub mod point;
pub mod routing;
pub mod station;
pub mod status;
pub mod task;
pub mod user;

pub use error::DomainError;
