//! Background jobs inside `jiesu serve` (后台任务): the deadline scanner, the model
//! watcher and the webhook notifier. Each keeps its state in the database, so several server processes may run them
//! side by side and a restart loses nothing.

pub mod models;
pub mod scanner;
pub mod search;
pub mod webhook;
