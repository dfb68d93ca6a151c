//! Accounts (账号): users, sign-in state, sessions and API tokens.

/// Implements [`AccountStore`](crate::AccountStore) inside [`sql_store!`](crate::sql_store).
#[macro_export]
#[doc(hidden)]
macro_rules! sql_accounts {
    ($store:ty, $db:ty) => {
            fn user_from_row(row: &<$db as ::sqlx::Database>::Row) -> StoreResult<User> {
                let role: String = row.try_get("role").map_err(db_err)?;
                Ok(User {
                    id: UserId(row.try_get("id").map_err(db_err)?),
                    username: row.try_get("username").map_err(db_err)?,
                    display_name: row.try_get("display_name").map_err(db_err)?,
                    role: Role::parse(&role).map_err(|e| StoreError::Corrupt(e.to_string()))?,
                    body: row.try_get::<Option<i64>, _>("body_id").map_err(db_err)?.map(BodyId),
                })
            }

            #[$crate::async_trait]
            impl $crate::AccountStore for $store {
                async fn create_user(&self, user: &NewUser, password_hash: &str) -> StoreResult<User> {
                    let row = ::sqlx::query(
                        "INSERT INTO users (username, display_name, role, body_id, password_hash) \
                         VALUES ($1, $2, $3, $4, $5) RETURNING id",
                    )
                    .bind(user.username.as_str())
                    .bind(user.display_name.as_str())
                    .bind(user.role.label())
                    .bind(user.body.map(|b| b.0))
                    .bind(password_hash)
                    .fetch_one(self.writer())
                    .await
                    .map_err(db_err)?;
                    Ok(User {
                        id: UserId(row.try_get(0).map_err(db_err)?),
                        username: user.username.clone(),
                        display_name: user.display_name.clone(),
                        role: user.role,
                        body: user.body,
                    })
                }

                async fn users(&self) -> StoreResult<Vec<User>> {
                    let rows = ::sqlx::query("SELECT id, username, display_name, role, body_id FROM users ORDER BY id")
                        .fetch_all(self.reader())
                        .await
                        .map_err(db_err)?;
                    rows.iter().map(user_from_row).collect()
                }

                async fn credentials(&self, username: &str) -> StoreResult<$crate::Credentials> {
                    let row = ::sqlx::query(
                        "SELECT id, username, display_name, role, body_id, password_hash FROM users WHERE username = $1",
                    )
                    .bind(username)
                    .fetch_optional(self.reader())
                    .await
                    .map_err(db_err)?
                    .ok_or(StoreError::NotFound("用户"))?;
                    Ok($crate::Credentials {
                        user: user_from_row(&row)?,
                        password_hash: row.try_get("password_hash").map_err(db_err)?,
                    })
                }

                async fn create_session(&self, token_hash: &str, user: UserId, expires: DateTime<Utc>) -> StoreResult<()> {
                    ::sqlx::query("INSERT INTO sessions (token_hash, user_id, expires_ms) VALUES ($1, $2, $3)")
                        .bind(token_hash)
                        .bind(user.0)
                        .bind(to_ms(expires))
                        .execute(self.writer())
                        .await
                        .map_err(db_err)?;
                    Ok(())
                }

                async fn session_user(&self, token_hash: &str, now: DateTime<Utc>) -> StoreResult<User> {
                    let row = ::sqlx::query(
                        "SELECT u.id, u.username, u.display_name, u.role, u.body_id FROM sessions s \
                         JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_ms > $2",
                    )
                    .bind(token_hash)
                    .bind(to_ms(now))
                    .fetch_optional(self.reader())
                    .await
                    .map_err(db_err)?
                    .ok_or(StoreError::NotFound("会话"))?;
                    user_from_row(&row)
                }

                async fn delete_session(&self, token_hash: &str) -> StoreResult<()> {
                    ::sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                        .bind(token_hash)
                        .execute(self.writer())
                        .await
                        .map_err(db_err)?;
                    Ok(())
                }

                async fn create_api_token(&self, user: UserId, name: &str, scope: &str, token_hash: &str, at: DateTime<Utc>) -> StoreResult<$crate::ApiToken> {
                    let row = ::sqlx::query(
                        "INSERT INTO api_tokens (user_id, name, token_hash, scope, created_ms) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                    )
                    .bind(user.0)
                    .bind(name)
                    .bind(token_hash)
                    .bind(scope)
                    .bind(to_ms(at))
                    .fetch_one(self.writer())
                    .await
                    .map_err(db_err)?;
                    Ok($crate::ApiToken { id: row.try_get(0).map_err(db_err)?, user, name: name.into(), scope: scope.into(), created_at: at, revoked_at: None })
                }

                async fn api_tokens(&self, user: UserId) -> StoreResult<Vec<$crate::ApiToken>> {
                    let rows = ::sqlx::query(
                        "SELECT id, user_id, name, scope, created_ms, revoked_ms FROM api_tokens WHERE user_id = $1 ORDER BY id DESC",
                    )
                    .bind(user.0)
                    .fetch_all(self.reader())
                    .await
                    .map_err(db_err)?;
                    rows.iter()
                        .map(|r| {
                            Ok($crate::ApiToken {
                                id: r.try_get(0).map_err(db_err)?,
                                user: UserId(r.try_get(1).map_err(db_err)?),
                                name: r.try_get(2).map_err(db_err)?,
                                scope: r.try_get(3).map_err(db_err)?,
                                created_at: $crate::sql::from_ms(r.try_get(4).map_err(db_err)?)?,
                                revoked_at: r.try_get::<Option<i64>, _>(5).map_err(db_err)?.map($crate::sql::from_ms).transpose()?,
                            })
                        })
                        .collect()
                }

                async fn revoke_api_token(&self, user: UserId, id: i64, at: DateTime<Utc>) -> StoreResult<()> {
                    let done = ::sqlx::query("UPDATE api_tokens SET revoked_ms = $1 WHERE id = $2 AND user_id = $3 AND revoked_ms IS NULL")
                        .bind(to_ms(at))
                        .bind(id)
                        .bind(user.0)
                        .execute(self.writer())
                        .await
                        .map_err(db_err)?;
                    if done.rows_affected() == 0 {
                        return Err(StoreError::NotFound("令牌"));
                    }
                    Ok(())
                }

                async fn token_user(&self, token_hash: &str) -> StoreResult<(User, String)> {
                    let row = ::sqlx::query(
                        "SELECT u.id, u.username, u.display_name, u.role, u.body_id, t.scope FROM api_tokens t \
                         JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1 AND t.revoked_ms IS NULL",
                    )
                    .bind(token_hash)
                    .fetch_optional(self.reader())
                    .await
                    .map_err(db_err)?
                    .ok_or(StoreError::NotFound("令牌"))?;
                    Ok((user_from_row(&row)?, row.try_get("scope").map_err(db_err)?))
                }
            }
    };
}
