//! Staff users and their roles (角色). Citizens have no account: they hold an appeal number
//! and its query code.

use serde::{Deserialize, Serialize};

use crate::ids::{BodyId, UserId};
use crate::kinds::labelled_enum;

labelled_enum! {
    /// What a staff user does in the centre.
    Role, "role" {
        Operator => "话务员",
        Dispatcher => "派单员",
        Handler => "承办人",
        Supervisor => "督办员",
        Leader => "领导",
        Admin => "管理员",
        Representative => "人大代表",
    }
}

/// A signed-in person acting on appeals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct User {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// The body a handler works for; `None` for centre staff.
    pub body: Option<BodyId>,
}

/// A user before it has an id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub body: Option<BodyId>,
}

/// Whether `username` names one of `users` without regard to case (`Admin` and `admin` are
/// the same account to a person reading a timeline).
pub fn username_taken(users: &[User], username: &str) -> bool {
    let wanted = username.trim().to_lowercase();
    users.iter().any(|u| u.username.to_lowercase() == wanted)
}

/// Who did something: kept on every event, so the timeline survives user changes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Actor {
    pub user: Option<UserId>,
    pub name: String,
    /// `None` for a citizen or the system itself.
    pub role: Option<Role>,
    pub body: Option<BodyId>,
    /// The system itself (deadline scanner): may send automatic reminders and escalate.
    #[serde(default)]
    pub system: bool,
}

impl Actor {
    /// The actor for a signed-in user.
    pub fn user(user: &User) -> Actor {
        Actor {
            user: Some(user.id),
            name: user.display_name.clone(),
            role: Some(user.role),
            body: user.body,
            system: false,
        }
    }

    /// A citizen acting through the public portal.
    pub fn citizen() -> Actor {
        Actor {
            user: None,
            name: "市民".into(),
            role: None,
            body: None,
            system: false,
        }
    }

    /// The system itself (deadline scanner, automatic reminders).
    pub fn system() -> Actor {
        Actor {
            user: None,
            name: "系统".into(),
            role: None,
            body: None,
            system: true,
        }
    }
}
