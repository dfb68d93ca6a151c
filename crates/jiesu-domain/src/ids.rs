//! Typed identifiers. An id of one kind can never be passed where another is expected.

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// An appeal's database id (the phone-readable number is [`crate::appeal::AppealNumber`]).
    AppealId
);
id_type!(
    /// A body's id (承办单位).
    BodyId
);
id_type!(
    /// A staff user's id.
    UserId
);
