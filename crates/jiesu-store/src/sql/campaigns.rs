//! Suggestion campaigns (民生实事意见征集): campaigns, proposals, support, groups.

/// Implements [`CampaignStore`](crate::CampaignStore) inside [`sql_store!`](crate::sql_store).
#[macro_export]
#[doc(hidden)]
macro_rules! sql_campaigns {
    ($store:ty, $db:ty) => {
            const CAMPAIGN_COLUMNS: &str =
                "id, title, description, opens, closes, channels, topics, bodies, created_ms, published_ms";
            const PROPOSAL_COLUMNS: &str = "id, campaign_id, title, body_text, topic, place, name, phone, \
                anonymous, channel, supports, group_id, created_ms";
            const GROUP_COLUMNS: &str = "id, campaign_id, rank, subject, place, keywords, people, supports, \
                size, body_id, outcome, reply, task_id, answered_ms";

            fn campaign_row(row: &<$db as ::sqlx::Database>::Row) -> StoreResult<$crate::StoredCampaign> {
                let published: Option<i64> = row.try_get("published_ms").map_err(db_err)?;
                Ok($crate::StoredCampaign {
                    id: row.try_get("id").map_err(db_err)?,
                    draft: ::jiesu_domain::campaign::CampaignDraft {
                        title: row.try_get("title").map_err(db_err)?,
                        description: row.try_get("description").map_err(db_err)?,
                        opens: stored_date(&row.try_get::<String, _>("opens").map_err(db_err)?)?,
                        closes: stored_date(&row.try_get::<String, _>("closes").map_err(db_err)?)?,
                        channels: from_json(&row.try_get::<String, _>("channels").map_err(db_err)?)?,
                        topics: from_json(&row.try_get::<String, _>("topics").map_err(db_err)?)?,
                        bodies: from_json(&row.try_get::<String, _>("bodies").map_err(db_err)?)?,
                    },
                    created_at: $crate::sql::from_ms(row.try_get("created_ms").map_err(db_err)?)?,
                    published_at: published.map($crate::sql::from_ms).transpose()?,
                })
            }

            fn proposal_row(row: &<$db as ::sqlx::Database>::Row) -> StoreResult<$crate::StoredProposal> {
                let channel: String = row.try_get("channel").map_err(db_err)?;
                Ok($crate::StoredProposal {
                    id: row.try_get("id").map_err(db_err)?,
                    campaign: row.try_get("campaign_id").map_err(db_err)?,
                    draft: ::jiesu_domain::campaign::ProposalDraft {
                        title: row.try_get("title").map_err(db_err)?,
                        text: row.try_get("body_text").map_err(db_err)?,
                        topic: row.try_get("topic").map_err(db_err)?,
                        place: row.try_get("place").map_err(db_err)?,
                        name: row.try_get("name").map_err(db_err)?,
                        phone: row.try_get("phone").map_err(db_err)?,
                        anonymous: row.try_get::<i64, _>("anonymous").map_err(db_err)? != 0,
                        channel: ::jiesu_domain::campaign::ProposalChannel::parse(&channel)
                            .map_err(|e| StoreError::Corrupt(e.to_string()))?,
                    },
                    supports: row.try_get("supports").map_err(db_err)?,
                    group: row.try_get("group_id").map_err(db_err)?,
                    created_at: $crate::sql::from_ms(row.try_get("created_ms").map_err(db_err)?)?,
                })
            }

            fn group_row(row: &<$db as ::sqlx::Database>::Row) -> StoreResult<$crate::StoredGroup> {
                let outcome: Option<String> = row.try_get("outcome").map_err(db_err)?;
                let answered: Option<i64> = row.try_get("answered_ms").map_err(db_err)?;
                let answer = match outcome {
                    Some(outcome) => Some(::jiesu_domain::campaign::Answer {
                        outcome: ::jiesu_domain::campaign::Outcome::parse(&outcome)
                            .map_err(|e| StoreError::Corrupt(e.to_string()))?,
                        reply: row.try_get("reply").map_err(db_err)?,
                    }),
                    None => None,
                };
                Ok($crate::StoredGroup {
                    id: row.try_get("id").map_err(db_err)?,
                    campaign: row.try_get("campaign_id").map_err(db_err)?,
                    rank: row.try_get("rank").map_err(db_err)?,
                    subject: row.try_get("subject").map_err(db_err)?,
                    place: row.try_get("place").map_err(db_err)?,
                    keywords: from_json(&row.try_get::<String, _>("keywords").map_err(db_err)?)?,
                    people: row.try_get("people").map_err(db_err)?,
                    supports: row.try_get("supports").map_err(db_err)?,
                    size: row.try_get("size").map_err(db_err)?,
                    body: row.try_get::<Option<i64>, _>("body_id").map_err(db_err)?.map(BodyId),
                    answer,
                    task: row.try_get("task_id").map_err(db_err)?,
                    answered_at: answered.map($crate::sql::from_ms).transpose()?,
                })
            }

            /// One proposal's row, in the caller's transaction.
            async fn insert_proposal(
                tx: &mut <$db as ::sqlx::Database>::Connection,
                campaign: i64,
                p: &::jiesu_domain::campaign::ProposalDraft,
                at: DateTime<Utc>,
            ) -> StoreResult<i64> {
                let row = ::sqlx::query(
                    "INSERT INTO campaign_proposals (campaign_id, title, body_text, topic, place, name, phone, \
                     anonymous, channel, created_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
                )
                .bind(campaign)
                .bind(p.title.as_str())
                .bind(p.text.as_str())
                .bind(p.topic.as_str())
                .bind(p.place.as_str())
                .bind(p.name.as_str())
                .bind(p.phone.as_str())
                .bind(i64::from(p.anonymous))
                .bind(p.channel.label())
                .bind(to_ms(at))
                .fetch_one(&mut *tx)
                .await
                .map_err(db_err)?;
                row.try_get(0).map_err(db_err)
            }

            /// One page of the proposals whose `column` (`campaign_id` or `group_id`) is `id`.
            async fn proposals_where(
                pool: &::sqlx::Pool<$db>,
                column: &'static str,
                id: i64,
                page: Page,
            ) -> StoreResult<Vec<$crate::StoredProposal>> {
                let rows = ::sqlx::query(::sqlx::AssertSqlSafe(format!(
                    "SELECT {PROPOSAL_COLUMNS} FROM campaign_proposals WHERE {column} = $1 \
                     ORDER BY id LIMIT $2 OFFSET $3"
                )))
                .bind(id)
                .bind(page.limit)
                .bind(page.offset)
                .fetch_all(pool)
                .await
                .map_err(db_err)?;
                rows.iter().map(proposal_row).collect()
            }

            fn none_changed(done: u64, what: &'static str) -> StoreResult<()> {
                if done == 0 { Err(StoreError::NotFound(what)) } else { Ok(()) }
            }

            #[$crate::async_trait]
            impl $crate::CampaignStore for $store {
                async fn create_campaign(&self, d: &::jiesu_domain::campaign::CampaignDraft, at: DateTime<Utc>) -> StoreResult<i64> {
                    let row = ::sqlx::query(
                        "INSERT INTO campaigns (title, description, opens, closes, channels, topics, bodies, created_ms) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                    )
                    .bind(d.title.as_str())
                    .bind(d.description.as_str())
                    .bind(d.opens.to_string())
                    .bind(d.closes.to_string())
                    .bind(to_json(&d.channels)?)
                    .bind(to_json(&d.topics)?)
                    .bind(to_json(&d.bodies)?)
                    .bind(to_ms(at))
                    .fetch_one(self.writer())
                    .await
                    .map_err(db_err)?;
                    row.try_get(0).map_err(db_err)
                }

                async fn update_campaign(&self, id: i64, d: &::jiesu_domain::campaign::CampaignDraft) -> StoreResult<()> {
                    let done = ::sqlx::query(
                        "UPDATE campaigns SET title = $1, description = $2, opens = $3, closes = $4, channels = $5, \
                         topics = $6, bodies = $7 WHERE id = $8",
                    )
                    .bind(d.title.as_str())
                    .bind(d.description.as_str())
                    .bind(d.opens.to_string())
                    .bind(d.closes.to_string())
                    .bind(to_json(&d.channels)?)
                    .bind(to_json(&d.topics)?)
                    .bind(to_json(&d.bodies)?)
                    .bind(id)
                    .execute(self.writer())
                    .await
                    .map_err(db_err)?;
                    none_changed(done.rows_affected(), "征集活动")
                }

                async fn campaign(&self, id: i64) -> StoreResult<$crate::StoredCampaign> {
                    let row = ::sqlx::query(::sqlx::AssertSqlSafe(format!(
                        "SELECT {CAMPAIGN_COLUMNS} FROM campaigns WHERE id = $1"
                    )))
                    .bind(id)
                    .fetch_optional(self.reader())
                    .await
                    .map_err(db_err)?
                    .ok_or(StoreError::NotFound("征集活动"))?;
                    campaign_row(&row)
                }

                async fn campaigns(&self) -> StoreResult<Vec<$crate::StoredCampaign>> {
                    let rows = ::sqlx::query(::sqlx::AssertSqlSafe(format!(
                        "SELECT {CAMPAIGN_COLUMNS} FROM campaigns ORDER BY opens DESC, id DESC"
                    )))
                    .fetch_all(self.reader())
                    .await
                    .map_err(db_err)?;
                    rows.iter().map(campaign_row).collect()
                }

                async fn publish_campaign(&self, id: i64, at: DateTime<Utc>) -> StoreResult<()> {
                    let done = ::sqlx::query("UPDATE campaigns SET published_ms = $1 WHERE id = $2")
                        .bind(to_ms(at))
                        .bind(id)
                        .execute(self.writer())
                        .await
                        .map_err(db_err)?;
                    none_changed(done.rows_affected(), "征集活动")
                }

                async fn add_proposal(&self, campaign: i64, draft: &::jiesu_domain::campaign::ProposalDraft, at: DateTime<Utc>) -> StoreResult<i64> {
                    let mut tx = self.writer().begin().await.map_err(db_err)?;
                    let id = insert_proposal(&mut tx, campaign, draft, at).await?;
                    tx.commit().await.map_err(db_err)?;
                    Ok(id)
                }

                async fn add_proposals(&self, campaign: i64, drafts: &[::jiesu_domain::campaign::ProposalDraft], at: DateTime<Utc>) -> StoreResult<Vec<i64>> {
                    let mut tx = self.writer().begin().await.map_err(db_err)?;
                    let mut ids = Vec::with_capacity(drafts.len());
                    for draft in drafts {
                        ids.push(insert_proposal(&mut tx, campaign, draft, at).await?);
                    }
                    tx.commit().await.map_err(db_err)?;
                    Ok(ids)
                }

                async fn proposal(&self, id: i64) -> StoreResult<$crate::StoredProposal> {
                    let row = ::sqlx::query(::sqlx::AssertSqlSafe(format!(
                        "SELECT {PROPOSAL_COLUMNS} FROM campaign_proposals WHERE id = $1"
                    )))
                    .bind(id)
                    .fetch_optional(self.reader())
                    .await
                    .map_err(db_err)?
                    .ok_or(StoreError::NotFound("建议"))?;
                    proposal_row(&row)
                }

                async fn proposals(&self, campaign: i64, page: Option<Page>) -> StoreResult<Vec<$crate::StoredProposal>> {
                    let page = page.unwrap_or(Page { offset: 0, limit: i64::MAX });
                    proposals_where(self.reader(), "campaign_id", campaign, page).await
                }

                async fn group_proposals(&self, group: i64, page: Page) -> StoreResult<Vec<$crate::StoredProposal>> {
                    proposals_where(self.reader(), "group_id", group, page).await
                }

                async fn count_proposals(&self, campaign: i64) -> StoreResult<i64> {
                    ::sqlx::query_scalar("SELECT COUNT(*) FROM campaign_proposals WHERE campaign_id = $1")
                        .bind(campaign)
                        .fetch_one(self.reader())
                        .await
                        .map_err(db_err)
                }

                async fn support_proposal(&self, proposal: i64, voter: &str, at: DateTime<Utc>) -> StoreResult<bool> {
                    let mut tx = self.writer().begin().await.map_err(db_err)?;
                    let done = ::sqlx::query(
                        "INSERT INTO campaign_supports (proposal_id, voter, created_ms) VALUES ($1, $2, $3) \
                         ON CONFLICT (proposal_id, voter) DO NOTHING",
                    )
                    .bind(proposal)
                    .bind(voter)
                    .bind(to_ms(at))
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| match db_err(e) {
                        StoreError::MissingReference { .. } => StoreError::NotFound("建议"),
                        other => other,
                    })?;
                    let counted = done.rows_affected() == 1;
                    if counted {
                        let done = ::sqlx::query("UPDATE campaign_proposals SET supports = supports + 1 WHERE id = $1")
                            .bind(proposal)
                            .execute(&mut *tx)
                            .await
                            .map_err(db_err)?;
                        none_changed(done.rows_affected(), "建议")?;
                    }
                    tx.commit().await.map_err(db_err)?;
                    Ok(counted)
                }

                async fn replace_groups(&self, campaign: i64, groups: &[$crate::NewGroup]) -> StoreResult<()> {
                    let mut tx = self.writer().begin().await.map_err(db_err)?;
                    ::sqlx::query("UPDATE campaign_proposals SET group_id = NULL WHERE campaign_id = $1")
                        .bind(campaign)
                        .execute(&mut *tx)
                        .await
                        .map_err(db_err)?;
                    ::sqlx::query("DELETE FROM campaign_groups WHERE campaign_id = $1")
                        .bind(campaign)
                        .execute(&mut *tx)
                        .await
                        .map_err(db_err)?;
                    for g in groups {
                        let row = ::sqlx::query(
                            "INSERT INTO campaign_groups (campaign_id, rank, subject, place, keywords, people, supports, size) \
                             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                        )
                        .bind(campaign)
                        .bind(g.rank)
                        .bind(g.subject.as_str())
                        .bind(g.place.as_str())
                        .bind(to_json(&g.keywords)?)
                        .bind(g.people)
                        .bind(g.supports)
                        .bind(g.proposals.len() as i64)
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(db_err)?;
                        let id: i64 = row.try_get(0).map_err(db_err)?;
                        // Members are linked in slices: one statement per few hundred ids.
                        for chunk in g.proposals.chunks(500) {
                            let ids = chunk.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
                            ::sqlx::query(::sqlx::AssertSqlSafe(format!(
                                "UPDATE campaign_proposals SET group_id = $1 WHERE campaign_id = $2 AND id IN ({ids})"
                            )))
                            .bind(id)
                            .bind(campaign)
                            .execute(&mut *tx)
                            .await
                            .map_err(db_err)?;
                        }
                    }
                    tx.commit().await.map_err(db_err)?;
                    Ok(())
                }

                async fn groups(&self, campaign: i64) -> StoreResult<Vec<$crate::StoredGroup>> {
                    let rows = ::sqlx::query(::sqlx::AssertSqlSafe(format!(
                        "SELECT {GROUP_COLUMNS} FROM campaign_groups WHERE campaign_id = $1 ORDER BY rank, id"
                    )))
                    .bind(campaign)
                    .fetch_all(self.reader())
                    .await
                    .map_err(db_err)?;
                    rows.iter().map(group_row).collect()
                }

                async fn group(&self, id: i64) -> StoreResult<$crate::StoredGroup> {
                    let row = ::sqlx::query(::sqlx::AssertSqlSafe(format!(
                        "SELECT {GROUP_COLUMNS} FROM campaign_groups WHERE id = $1"
                    )))
                    .bind(id)
                    .fetch_optional(self.reader())
                    .await
                    .map_err(db_err)?
                    .ok_or(StoreError::NotFound("建议分组"))?;
                    group_row(&row)
                }

                async fn assign_group(&self, id: i64, body: BodyId) -> StoreResult<()> {
                    let done = ::sqlx::query("UPDATE campaign_groups SET body_id = $1 WHERE id = $2")
                        .bind(body.0)
                        .bind(id)
                        .execute(self.writer())
                        .await
                        .map_err(db_err)?;
                    none_changed(done.rows_affected(), "建议分组")
                }

                async fn answer_group(
                    &self,
                    id: i64,
                    previous: Option<DateTime<Utc>>,
                    a: &$crate::GroupAnswer,
                    change: Option<&$crate::TaskChange>,
                ) -> StoreResult<()> {
                    let mut tx = self.writer().begin().await.map_err(db_err)?;
                    // The answer replaced must still be the group's: two people correcting at
                    // once never leave two live tasks.
                    let done = ::sqlx::query(
                        "UPDATE campaign_groups SET outcome = $1, reply = $2, task_id = $3, answered_ms = $4 \
                         WHERE id = $5 AND ((answered_ms IS NULL AND $6 IS NULL) OR answered_ms = $6)",
                    )
                    .bind(a.answer.outcome.label())
                    .bind(a.answer.reply.as_str())
                    .bind(a.task)
                    .bind(to_ms(a.at))
                    .bind(id)
                    .bind(previous.map(to_ms))
                    .execute(&mut *tx)
                    .await
                    .map_err(db_err)?;
                    if done.rows_affected() == 0 {
                        let exists: Option<i64> = ::sqlx::query_scalar("SELECT id FROM campaign_groups WHERE id = $1")
                            .bind(id)
                            .fetch_optional(&mut *tx)
                            .await
                            .map_err(db_err)?;
                        return Err(match exists {
                            Some(_) => StoreError::Stale,
                            None => StoreError::NotFound("建议分组"),
                        });
                    }
                    ::sqlx::query(
                        "INSERT INTO campaign_group_answers (group_id, outcome, reply, task_id, answered_by, answered_ms) \
                         VALUES ($1, $2, $3, $4, $5, $6)",
                    )
                    .bind(id)
                    .bind(a.answer.outcome.label())
                    .bind(a.answer.reply.as_str())
                    .bind(a.task)
                    .bind(a.by.as_str())
                    .bind(to_ms(a.at))
                    .execute(&mut *tx)
                    .await
                    .map_err(db_err)?;
                    match change {
                        None => {}
                        Some($crate::TaskChange::Retext { task, text }) => {
                            let done = ::sqlx::query("UPDATE tasks SET body_text = $1 WHERE id = $2")
                                .bind(text.as_str())
                                .bind(*task)
                                .execute(&mut *tx)
                                .await
                                .map_err(db_err)?;
                            none_changed(done.rows_affected(), "任务")?;
                        }
                        Some($crate::TaskChange::Close { task, note }) => {
                            let done = ::sqlx::query(CLOSE_TASK)
                                .bind(to_ms(a.at))
                                .bind(note.as_str())
                                .bind(*task)
                                .execute(&mut *tx)
                                .await
                                .map_err(db_err)?;
                            if done.rows_affected() == 0 {
                                return Err(StoreError::Stale);
                            }
                        }
                    }
                    tx.commit().await.map_err(db_err)?;
                    Ok(())
                }

                async fn group_answers(&self, id: i64) -> StoreResult<Vec<$crate::GroupAnswer>> {
                    let rows = ::sqlx::query(
                        "SELECT outcome, reply, task_id, answered_by, answered_ms FROM campaign_group_answers \
                         WHERE group_id = $1 ORDER BY id",
                    )
                    .bind(id)
                    .fetch_all(self.reader())
                    .await
                    .map_err(db_err)?;
                    rows.iter()
                        .map(|row| {
                            let outcome: String = row.try_get("outcome").map_err(db_err)?;
                            Ok($crate::GroupAnswer {
                                answer: ::jiesu_domain::campaign::Answer {
                                    outcome: ::jiesu_domain::campaign::Outcome::parse(&outcome)
                                        .map_err(|e| StoreError::Corrupt(e.to_string()))?,
                                    reply: row.try_get("reply").map_err(db_err)?,
                                },
                                task: row.try_get("task_id").map_err(db_err)?,
                                by: row.try_get("answered_by").map_err(db_err)?,
                                at: $crate::sql::from_ms(row.try_get("answered_ms").map_err(db_err)?)?,
                            })
                        })
                        .collect()
                }
            }
    };
}
