//! The closed vocabularies of an appeal: channel (渠道), type (类型) and urgency (紧急程度).
//! Each value has one Chinese label, used in the API, the pages and imported files.

macro_rules! labelled_enum {
    ($(#[$meta:meta])* $name:ident, $field:literal { $($variant:ident => $label:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The Chinese label people see and files carry.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            /// Parses a Chinese label (or the English variant name).
            pub fn parse(text: &str) -> Result<Self, $crate::error::DomainError> {
                let text = text.trim();
                $(if text == $label || text.eq_ignore_ascii_case(stringify!($variant)) {
                    return Ok($name::$variant);
                })+
                Err($crate::error::DomainError::InvalidField { field: $field, reason: format!("未知取值「{text}」") })
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.label())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.label())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = <String as ::serde::Deserialize>::deserialize(d)?;
                $name::parse(&text).map_err(<D::Error as ::serde::de::Error>::custom)
            }
        }
    };
}
pub(crate) use labelled_enum;

labelled_enum! {
    /// How the appeal reached the centre (受理渠道).
    Channel, "channel" {
        Hotline => "热线",
        Website => "网站",
        Wechat => "微信",
        Email => "邮件",
        Letter => "信件",
        LiaisonStation => "联络站",
        LeaderMailbox => "领导信箱",
        MessageBoard => "留言板",
    }
}

labelled_enum! {
    /// What the citizen asks for (诉求类型).
    AppealType, "type" {
        Complaint => "投诉",
        Help => "求助",
        Consultation => "咨询",
        Suggestion => "建议",
        Report => "举报",
        Praise => "表扬",
        Reconsideration => "行政复议",
    }
}

labelled_enum! {
    /// How fast the appeal must be handled (紧急程度).
    Urgency, "urgency" {
        Normal => "一般",
        Urgent => "紧急",
        Critical => "特急",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_round_trip() {
        for c in Channel::ALL {
            assert_eq!(Channel::parse(c.label()).unwrap(), *c);
        }
        assert_eq!(AppealType::parse("投诉").unwrap(), AppealType::Complaint);
        assert_eq!(serde_json::to_string(&Urgency::Urgent).unwrap(), "\"紧急\"");
    }

    #[test]
    fn unknown_label_is_a_field_error() {
        let err = Channel::parse("飞鸽").unwrap_err();
        assert!(err.to_string().contains("channel"), "{err}");
    }
}
