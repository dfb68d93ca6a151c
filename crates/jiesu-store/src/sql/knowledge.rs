//! The knowledge base (知识库): articles operators cite.

/// Implements [`KnowledgeStore`](crate::KnowledgeStore) inside [`sql_store!`](crate::sql_store).
#[macro_export]
#[doc(hidden)]
macro_rules! sql_knowledge {
    ($store:ty, $db:ty) => {
            fn article_row(row: &<$db as ::sqlx::Database>::Row) -> StoreResult<Article> {
                let date = |name: &str| -> StoreResult<Option<::chrono::NaiveDate>> {
                    let text: Option<String> = row.try_get(name).map_err(db_err)?;
                    text.map(|t| t.parse().map_err(|e| StoreError::Corrupt(format!("{name} {t}: {e}"))))
                        .transpose()
                };
                Ok(Article {
                    id: row.try_get("id").map_err(db_err)?,
                    draft: ArticleDraft {
                        question: row.try_get("question").map_err(db_err)?,
                        answer: row.try_get("answer").map_err(db_err)?,
                        category: row.try_get("category").map_err(db_err)?,
                        valid_from: date("valid_from")?,
                        valid_to: date("valid_to")?,
                        source: row.try_get("source").map_err(db_err)?,
                    },
                })
            }

            #[$crate::async_trait]
            impl $crate::KnowledgeStore for $store {
                async fn create_article(&self, draft: &ArticleDraft, at: DateTime<Utc>) -> StoreResult<Article> {
                    let row = ::sqlx::query(
                        "INSERT INTO articles (question, answer, category, valid_from, valid_to, source, updated_ms) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                    )
                    .bind(draft.question.as_str())
                    .bind(draft.answer.as_str())
                    .bind(draft.category.as_deref())
                    .bind(draft.valid_from.map(|d| d.to_string()))
                    .bind(draft.valid_to.map(|d| d.to_string()))
                    .bind(draft.source.as_str())
                    .bind(to_ms(at))
                    .fetch_one(self.writer())
                    .await
                    .map_err(db_err)?;
                    Ok(Article { id: row.try_get(0).map_err(db_err)?, draft: draft.clone() })
                }

                async fn update_article(&self, id: i64, draft: &ArticleDraft, at: DateTime<Utc>) -> StoreResult<Article> {
                    let done = ::sqlx::query(
                        "UPDATE articles SET question = $1, answer = $2, category = $3, valid_from = $4, valid_to = $5, \
                         source = $6, updated_ms = $7 WHERE id = $8",
                    )
                    .bind(draft.question.as_str())
                    .bind(draft.answer.as_str())
                    .bind(draft.category.as_deref())
                    .bind(draft.valid_from.map(|d| d.to_string()))
                    .bind(draft.valid_to.map(|d| d.to_string()))
                    .bind(draft.source.as_str())
                    .bind(to_ms(at))
                    .bind(id)
                    .execute(self.writer())
                    .await
                    .map_err(db_err)?;
                    if done.rows_affected() == 0 {
                        return Err(StoreError::NotFound("知识条目"));
                    }
                    Ok(Article { id, draft: draft.clone() })
                }

                async fn article(&self, id: i64) -> StoreResult<Article> {
                    let row = ::sqlx::query(
                        "SELECT id, question, answer, category, valid_from, valid_to, source FROM articles WHERE id = $1",
                    )
                    .bind(id)
                    .fetch_optional(self.reader())
                    .await
                    .map_err(db_err)?
                    .ok_or(StoreError::NotFound("知识条目"))?;
                    article_row(&row)
                }

                async fn find_articles(&self, words: &str, page: Page) -> StoreResult<Vec<Article>> {
                    let mut q = ::sqlx::QueryBuilder::<$db>::new(
                        "SELECT id, question, answer, category, valid_from, valid_to, source FROM articles WHERE 1=1",
                    );
                    for word in words.split_whitespace().take(8) {
                        let pattern = format!("%{}%", word.replace(['%', '_'], ""));
                        q.push(" AND (question LIKE ").push_bind(pattern.clone());
                        q.push(" OR answer LIKE ").push_bind(pattern).push(")");
                    }
                    q.push(" ORDER BY updated_ms DESC, id DESC LIMIT ").push_bind(page.limit).push(" OFFSET ").push_bind(page.offset);
                    let rows = q.build().fetch_all(self.reader()).await.map_err(db_err)?;
                    rows.iter().map(article_row).collect()
                }
            }
    };
}
