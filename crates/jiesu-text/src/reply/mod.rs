//! Reply review (答复评价): how well a body's reply answers its appeal, before the centre
//! approves it — relevance (针对性), completeness (完整性), tone and form (语气规范) and
//! timeliness (及时性), each 0..1, their weighted overall, and the gaps in Chinese.
//!
//! - [`ReplyReviewer`]: scores one reply against its appeal ([`AppealForReview`]) into a
//!   [`ReplyReview`] with its [`Gap`]s.
//! - [`AppealCorpus`]: bigram and trigram rarities over the appeals at hand, derived at run
//!   time.
//! - [`read_replies`]: published replies from CSV ([`ReplyRow`]).
//! - [`swapped_pairs`], [`roc_auc`], [`tfidf_cosine`]: measuring relevance against replies of
//!   the most similar other appeals.
//!
//! ```
//! use chrono::NaiveDate;
//! use jiesu_text::place::Gazetteer;
//! use jiesu_text::reply::{AppealCorpus, AppealForReview, Gap, ReplyReviewer};
//!
//! let reviewer = ReplyReviewer::new(AppealCorpus::default(), Gazetteer::empty());
//! let received = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap().and_hms_opt(9, 0, 0).unwrap();
//! let appeal = AppealForReview {
//!     title: "翠湖苑小区停水三天",
//!     text: "A3区翠湖苑小区从周一起停水，至今未恢复。",
//!     citizen: None,
//!     received,
//!     deadline: None,
//! };
//! let review = reviewer.review(&appeal, "您好，已收悉。", received);
//! assert!(review.gaps.contains(&Gap::BoilerplateOnly));
//! assert!(review.completeness < 0.2);
//! ```

mod completeness;
mod corpus;
mod cues;
mod evaluate;
mod grams;
mod reader;
mod relevance;
mod review;
mod timeliness;
mod tone;

pub use corpus::AppealCorpus;
pub use evaluate::{SwapPair, roc_auc, swapped_pairs};
pub use reader::{ReplyFileError, ReplyRow, read_replies, read_replies_from};
pub use relevance::tfidf_cosine;
pub use review::{AppealForReview, DEFAULT_LIMIT_DAYS, Gap, ReplyReview, ReplyReviewer};
