//! What a caller may see of an appeal (可见范围): handlers see only their bodies' appeals, and
//! never the name, phone or mail address of a confidential (保密) citizen; lists mask
//! phones and mail addresses.

use jiesu_domain::appeal::{Appeal, mask_email, mask_phone};
use jiesu_domain::body::{Body, subtree};
use jiesu_domain::ids::BodyId;
use jiesu_domain::user::{Role, User};

/// The bodies whose appeals `user` may see; `None` means all (centre staff).
pub fn visible_bodies(user: &User, bodies: &[Body]) -> Option<Vec<BodyId>> {
    match (user.role, user.body) {
        (Role::Handler, Some(body)) => Some(subtree(bodies, body)),
        (Role::Handler, None) => Some(vec![]),
        _ => None,
    }
}

/// Whether `user` may open `appeal`.
pub fn may_see(user: &User, bodies: &[Body], appeal: &Appeal) -> bool {
    match visible_bodies(user, bodies) {
        None => true,
        Some(mine) => appeal.bodies().any(|b| mine.contains(&b)),
    }
}

/// Hides what `user` may not see of the citizen; `in_list` also masks the phone and the
/// mail address.
pub fn redact(user: &User, mut appeal: Appeal, in_list: bool) -> Appeal {
    if appeal.citizen.confidential && user.role == Role::Handler {
        appeal.citizen.name = None;
        appeal.citizen.phone = None;
        appeal.citizen.email = None;
    }
    if in_list {
        appeal.citizen.phone = appeal.citizen.phone.as_deref().map(mask_phone);
        appeal.citizen.email = appeal.citizen.email.as_deref().map(mask_email);
    }
    appeal
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use jiesu_domain::appeal::{AppealDraft, AppealNumber, Citizen, Place};
    use jiesu_domain::ids::{AppealId, UserId};
    use jiesu_domain::kinds::{AppealType, Channel, Urgency};

    use super::*;

    fn user(role: Role) -> User {
        User {
            id: UserId(1),
            username: "u".into(),
            display_name: "u".into(),
            role,
            body: Some(BodyId(1)),
        }
    }

    #[test]
    fn a_confidential_citizens_mail_address_is_hidden_like_the_phone() {
        let draft = AppealDraft {
            channel: Channel::Website,
            appeal_type: AppealType::Complaint,
            title: "路灯不亮".into(),
            text: "路灯不亮".into(),
            citizen: Citizen {
                name: Some("钱女士".into()),
                phone: Some("13800001111".into()),
                email: Some("qian@example.cn".into()),
                confidential: true,
                anonymous: false,
            },
            place: Place::default(),
            category: None,
            urgency: Urgency::Normal,
            suggested: None,
        };
        let appeal = jiesu_domain::lifecycle::registered(
            AppealId(1),
            AppealNumber("2026120100001".into()),
            draft,
            Utc::now(),
        );
        let seen = redact(&user(Role::Handler), appeal.clone(), false);
        assert_eq!((seen.citizen.phone, seen.citizen.email), (None, None));
        let listed = redact(&user(Role::Dispatcher), appeal, true);
        assert_eq!(listed.citizen.email.as_deref(), Some("q***@example.cn"));
    }
}
