//! New staff accounts (新建账号): the checks the API and the admin page share before a user
//! is created — the password policy and usernames unique without regard to case.

use axum::http::StatusCode;
use jiesu_domain::password::check_password;
use jiesu_domain::user::username_taken;

use crate::error::ApiError;
use crate::state::AppState;

/// Refuses a weak password (422) or a username already used in any case (409).
pub async fn check_new_account(
    state: &AppState,
    username: &str,
    password: &str,
) -> Result<(), ApiError> {
    check_password(password, username)
        .map_err(|e| ApiError::invalid("password", &e.to_string()))?;
    if username_taken(&state.store.users().await?, username) {
        return Err(username_in_use());
    }
    Ok(())
}

/// The answer for a username already in use.
pub fn username_in_use() -> ApiError {
    ApiError::new(
        StatusCode::CONFLICT,
        "username_taken",
        "用户名已存在（不区分大小写），请换一个",
    )
}
