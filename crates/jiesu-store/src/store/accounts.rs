//! Accounts (账号): users, sign-in state, sessions and API tokens.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use jiesu_domain::ids::UserId;
use jiesu_domain::user::{NewUser, User};

use crate::error::StoreResult;

/// An API token for an integration (接口令牌): acts as its user, within its scope.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ApiToken {
    pub id: i64,
    pub user: UserId,
    pub name: String,
    /// `read` (GET only) or `write`.
    pub scope: String,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// What sign-in checks (登录凭据).
#[derive(Debug, Clone, PartialEq)]
pub struct Credentials {
    pub user: User,
    pub password_hash: String,
}

#[async_trait]
pub trait AccountStore: Send + Sync {
    async fn create_user(&self, user: &NewUser, password_hash: &str) -> StoreResult<User>;
    async fn users(&self) -> StoreResult<Vec<User>>;
    /// The user and their password hash, for sign-in (failed sign-ins are throttled per
    /// name and client at the edge, never by locking the account).
    async fn credentials(&self, username: &str) -> StoreResult<Credentials>;
    async fn create_session(
        &self,
        token_hash: &str,
        user: UserId,
        expires: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// The user of an unexpired session.
    async fn session_user(&self, token_hash: &str, now: DateTime<Utc>) -> StoreResult<User>;
    async fn delete_session(&self, token_hash: &str) -> StoreResult<()>;
    async fn create_api_token(
        &self,
        user: UserId,
        name: &str,
        scope: &str,
        token_hash: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<ApiToken>;
    async fn api_tokens(&self, user: UserId) -> StoreResult<Vec<ApiToken>>;
    /// Revokes one of `user`'s tokens; `NotFound` if it is not theirs.
    async fn revoke_api_token(&self, user: UserId, id: i64, at: DateTime<Utc>) -> StoreResult<()>;
    /// The user and scope of an unrevoked token.
    async fn token_user(&self, token_hash: &str) -> StoreResult<(User, String)>;
}
