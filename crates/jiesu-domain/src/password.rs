//! The password policy (密码规则): one pure check that the API, the pages and the CLI all
//! call before a password is hashed, so a weak password is refused the same way everywhere.

use std::collections::HashSet;
use std::sync::OnceLock;

/// Shortest password accepted, in characters.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// Well-known weak passwords, shipped with the binary (lower case, one a line).
const COMMON_PASSWORDS: &str = include_str!("../data/common_passwords.txt");

/// Why a password is refused; the message is shown to the person choosing it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("密码至少 {MIN_PASSWORD_CHARS} 位")]
    TooShort,
    #[error("密码过于常见，容易被猜中，请换一个")]
    Common,
    #[error("密码不能全部是同一个字符")]
    Repeated,
    #[error("密码不能是连续的字符（如 1234567890、abcdefghij）")]
    Sequential,
    #[error("密码不能包含用户名")]
    ContainsUsername,
}

fn common() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| {
        COMMON_PASSWORDS
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect()
    })
}

/// Whether every character follows the previous one by the same step of +1 or -1.
fn is_sequential(chars: &[char]) -> bool {
    let steps: Vec<i64> = chars
        .windows(2)
        .map(|w| i64::from(u32::from(w[1])) - i64::from(u32::from(w[0])))
        .collect();
    [1, -1].iter().any(|step| steps.iter().all(|s| s == step))
}

/// Checks `password` for the account `username`.
pub fn check_password(password: &str, username: &str) -> Result<(), PasswordError> {
    let chars: Vec<char> = password.chars().collect();
    if chars.len() < MIN_PASSWORD_CHARS {
        return Err(PasswordError::TooShort);
    }
    if chars.iter().all(|c| *c == chars[0]) || password.trim().is_empty() {
        return Err(PasswordError::Repeated);
    }
    let lower = password.to_lowercase();
    if is_sequential(&lower.chars().collect::<Vec<_>>()) {
        return Err(PasswordError::Sequential);
    }
    let username = username.trim().to_lowercase();
    if !username.is_empty() && lower.contains(&username) {
        return Err(PasswordError::ContainsUsername);
    }
    if common().contains(lower.trim()) {
        return Err(PasswordError::Common);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weak_passwords_are_refused() {
        for (password, why) in [
            ("12345678", PasswordError::TooShort),
            ("password", PasswordError::TooShort),
            ("        ", PasswordError::TooShort),
            ("          ", PasswordError::Repeated),
            ("aaaaaaaaaaaa", PasswordError::Repeated),
            ("0123456789", PasswordError::Sequential),
            ("1234567890", PasswordError::Common),
            ("ZYXWVUTSRQ", PasswordError::Sequential),
            ("password123", PasswordError::Common),
            ("Qwertyuiop", PasswordError::Common),
            ("woaini1314!", PasswordError::Common),
            ("zhangsan-2024", PasswordError::ContainsUsername),
            ("ZhangSan", PasswordError::TooShort),
        ] {
            assert_eq!(check_password(password, "zhangsan"), Err(why), "{password}");
        }
        assert_eq!(
            check_password("my-ZHANGSAN-key", "zhangsan"),
            Err(PasswordError::ContainsUsername)
        );
    }

    #[test]
    fn good_passwords_pass() {
        for password in [
            "河边柳树下的长椅2026",
            "tulip-harbor-73",
            "correct horse battery",
        ] {
            assert_eq!(check_password(password, "zhangsan"), Ok(()), "{password}");
        }
    }

    #[test]
    fn the_list_is_loaded() {
        assert!(common().len() > 500);
        assert!(common().contains("1qaz2wsx3edc"));
    }
}
