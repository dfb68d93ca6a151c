//! Background jobs inside `jiesu serve` (后台任务): the deadline scanner, the settings
//! watcher, the search index's catch-up, the webhook notifier and smart dispatch's learning
//! loop. They run over the
//! application ([`jiesu_app::App`]), never over the web edge. Each keeps its state in the
//! database, so several server processes may run them side by side and a restart loses
//! nothing.

pub mod citizen_messages;
pub mod learning;
pub mod scanner;
pub mod search;
pub mod settings;
pub mod webhook;
