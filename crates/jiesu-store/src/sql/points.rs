//! Service points (便民点位), their kinds, and the appeals that name a point.

/// Implements [`PointStore`](crate::PointStore) inside [`sql_store!`](crate::sql_store).
#[macro_export]
#[doc(hidden)]
macro_rules! sql_points {
    ($store:ty, $db:ty) => {
            const POINT_COLUMNS: &str = "id, name, kind, address, lon, lat, district, street, hours, \
                contact, facilities";
            /// The statuses in which an appeal is closed, as the SQL list `('a', 'b')`.
            fn closed_statuses() -> String {
                let closed: Vec<String> = Status::ALL
                    .iter()
                    .filter(|s| !s.is_open())
                    .map(|s| format!("'{}'", s.code()))
                    .collect();
                format!("({})", closed.join(", "))
            }

            fn point_row(row: &<$db as ::sqlx::Database>::Row) -> StoreResult<::jiesu_domain::point::Point> {
                Ok(::jiesu_domain::point::Point {
                    id: row.try_get("id").map_err(db_err)?,
                    draft: ::jiesu_domain::point::PointDraft {
                        name: row.try_get("name").map_err(db_err)?,
                        kind: row.try_get("kind").map_err(db_err)?,
                        address: row.try_get("address").map_err(db_err)?,
                        lon: row.try_get("lon").map_err(db_err)?,
                        lat: row.try_get("lat").map_err(db_err)?,
                        district: row.try_get("district").map_err(db_err)?,
                        street: row.try_get("street").map_err(db_err)?,
                        hours: row.try_get("hours").map_err(db_err)?,
                        contact: row.try_get("contact").map_err(db_err)?,
                        facilities: from_json(&row.try_get::<String, _>("facilities").map_err(db_err)?)?,
                    },
                })
            }

            fn push_point_filter(q: &mut ::sqlx::QueryBuilder<$db>, f: &$crate::PointFilter) {
                q.push(" WHERE 1 = 1");
                if let Some(kind) = &f.kind {
                    q.push(" AND kind = ").push_bind(kind.clone());
                }
                if let Some(district) = &f.district {
                    q.push(" AND district = ").push_bind(district.clone());
                }
                if let Some(facility) = &f.facility {
                    q.push(" AND id IN (SELECT point_id FROM point_facilities WHERE facility = ")
                        .push_bind(facility.clone())
                        .push(")");
                }
            }

            #[$crate::async_trait]
            impl $crate::PointStore for $store {
                async fn point_kinds(&self) -> StoreResult<Vec<::jiesu_domain::point::PointKind>> {
                    let rows = ::sqlx::query("SELECT name, facilities FROM point_kinds ORDER BY position, name")
                        .fetch_all(self.reader())
                        .await
                        .map_err(db_err)?;
                    rows.iter()
                        .map(|r| {
                            Ok(::jiesu_domain::point::PointKind {
                                name: r.try_get("name").map_err(db_err)?,
                                facilities: from_json(&r.try_get::<String, _>("facilities").map_err(db_err)?)?,
                            })
                        })
                        .collect()
                }

                async fn save_point_kind(&self, kind: &::jiesu_domain::point::PointKind) -> StoreResult<()> {
                    ::sqlx::query(
                        "INSERT INTO point_kinds (name, facilities, position) \
                         VALUES ($1, $2, (SELECT COALESCE(MAX(position), 0) + 1 FROM point_kinds)) \
                         ON CONFLICT (name) DO UPDATE SET facilities = excluded.facilities",
                    )
                    .bind(kind.name.as_str())
                    .bind(to_json(&kind.facilities)?)
                    .execute(self.writer())
                    .await
                    .map_err(db_err)?;
                    Ok(())
                }

                async fn save_points(
                    &self,
                    points: &[(Option<i64>, ::jiesu_domain::point::PointDraft)],
                    at: DateTime<Utc>,
                ) -> StoreResult<Vec<i64>> {
                    let mut tx = self.writer().begin().await.map_err(db_err)?;
                    let mut ids = Vec::with_capacity(points.len());
                    for (id, p) in points {
                        let facilities = to_json(&p.facilities)?;
                        let id: i64 = match id {
                            Some(id) => {
                                let done = ::sqlx::query(
                                    "UPDATE points SET name = $1, kind = $2, address = $3, lon = $4, lat = $5, \
                                     district = $6, street = $7, hours = $8, contact = $9, facilities = $10, \
                                     updated_ms = $11 WHERE id = $12",
                                )
                                .bind(p.name.as_str())
                                .bind(p.kind.as_str())
                                .bind(p.address.as_str())
                                .bind(p.lon)
                                .bind(p.lat)
                                .bind(p.district.as_str())
                                .bind(p.street.as_str())
                                .bind(p.hours.as_str())
                                .bind(p.contact.as_str())
                                .bind(facilities.as_str())
                                .bind(to_ms(at))
                                .bind(*id)
                                .execute(&mut *tx)
                                .await
                                .map_err(db_err)?;
                                if done.rows_affected() == 0 {
                                    return Err(StoreError::NotFound("点位"));
                                }
                                ::sqlx::query("DELETE FROM point_facilities WHERE point_id = $1")
                                    .bind(*id)
                                    .execute(&mut *tx)
                                    .await
                                    .map_err(db_err)?;
                                *id
                            }
                            None => {
                                let row = ::sqlx::query(
                                    "INSERT INTO points (name, kind, address, lon, lat, district, street, hours, \
                                     contact, facilities, created_ms, updated_ms) \
                                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id",
                                )
                                .bind(p.name.as_str())
                                .bind(p.kind.as_str())
                                .bind(p.address.as_str())
                                .bind(p.lon)
                                .bind(p.lat)
                                .bind(p.district.as_str())
                                .bind(p.street.as_str())
                                .bind(p.hours.as_str())
                                .bind(p.contact.as_str())
                                .bind(facilities.as_str())
                                .bind(to_ms(at))
                                .fetch_one(&mut *tx)
                                .await
                                .map_err(db_err)?;
                                row.try_get(0).map_err(db_err)?
                            }
                        };
                        for facility in &p.facilities {
                            ::sqlx::query("INSERT INTO point_facilities (point_id, facility) VALUES ($1, $2)")
                                .bind(id)
                                .bind(facility.as_str())
                                .execute(&mut *tx)
                                .await
                                .map_err(db_err)?;
                        }
                        ids.push(id);
                    }
                    tx.commit().await.map_err(db_err)?;
                    Ok(ids)
                }

                async fn delete_point(&self, id: i64) -> StoreResult<()> {
                    let mut tx = self.writer().begin().await.map_err(db_err)?;
                    for sql in [
                        "DELETE FROM appeal_points WHERE point_id = $1",
                        "DELETE FROM point_facilities WHERE point_id = $1",
                    ] {
                        ::sqlx::query(sql).bind(id).execute(&mut *tx).await.map_err(db_err)?;
                    }
                    let done = ::sqlx::query("DELETE FROM points WHERE id = $1")
                        .bind(id)
                        .execute(&mut *tx)
                        .await
                        .map_err(db_err)?;
                    if done.rows_affected() == 0 {
                        return Err(StoreError::NotFound("点位"));
                    }
                    tx.commit().await.map_err(db_err)?;
                    Ok(())
                }

                async fn point(&self, id: i64) -> StoreResult<::jiesu_domain::point::Point> {
                    let row = ::sqlx::query(::sqlx::AssertSqlSafe(format!("SELECT {POINT_COLUMNS} FROM points WHERE id = $1")))
                        .bind(id)
                        .fetch_optional(self.reader())
                        .await
                        .map_err(db_err)?
                        .ok_or(StoreError::NotFound("点位"))?;
                    point_row(&row)
                }

                async fn points(
                    &self,
                    filter: &$crate::PointFilter,
                    page: Page,
                ) -> StoreResult<Vec<::jiesu_domain::point::Point>> {
                    let mut q = ::sqlx::QueryBuilder::<$db>::new(format!("SELECT {POINT_COLUMNS} FROM points"));
                    push_point_filter(&mut q, filter);
                    q.push(" ORDER BY id LIMIT ").push_bind(page.limit).push(" OFFSET ").push_bind(page.offset);
                    let rows = q.build().fetch_all(self.reader()).await.map_err(db_err)?;
                    rows.iter().map(point_row).collect()
                }

                async fn count_points(&self, filter: &$crate::PointFilter) -> StoreResult<i64> {
                    let mut q = ::sqlx::QueryBuilder::<$db>::new("SELECT COUNT(*) FROM points");
                    push_point_filter(&mut q, filter);
                    let row = q.build().fetch_one(self.reader()).await.map_err(db_err)?;
                    row.try_get(0).map_err(db_err)
                }

                async fn all_points(&self) -> StoreResult<Vec<::jiesu_domain::point::Point>> {
                    let rows = ::sqlx::query(::sqlx::AssertSqlSafe(format!("SELECT {POINT_COLUMNS} FROM points ORDER BY id")))
                        .fetch_all(self.reader())
                        .await
                        .map_err(db_err)?;
                    rows.iter().map(point_row).collect()
                }

                async fn points_stamp(&self) -> StoreResult<(i64, i64)> {
                    let row = ::sqlx::query("SELECT COALESCE(MAX(updated_ms), 0), COUNT(*) FROM points")
                        .fetch_one(self.reader())
                        .await
                        .map_err(db_err)?;
                    Ok((row.try_get(0).map_err(db_err)?, row.try_get(1).map_err(db_err)?))
                }

                async fn name_point(&self, appeal: AppealId, point: i64, at: DateTime<Utc>) -> StoreResult<()> {
                    ::sqlx::query(
                        "INSERT INTO appeal_points (appeal_id, point_id, created_ms) VALUES ($1, $2, $3) \
                         ON CONFLICT (appeal_id) DO UPDATE SET point_id = excluded.point_id",
                    )
                    .bind(appeal.0)
                    .bind(point)
                    .bind(to_ms(at))
                    .execute(self.writer())
                    .await
                    .map_err(db_err)?;
                    Ok(())
                }

                async fn point_of_appeal(&self, appeal: AppealId) -> StoreResult<Option<i64>> {
                    let row = ::sqlx::query("SELECT point_id FROM appeal_points WHERE appeal_id = $1")
                        .bind(appeal.0)
                        .fetch_optional(self.reader())
                        .await
                        .map_err(db_err)?;
                    row.map(|r| r.try_get(0).map_err(db_err)).transpose()
                }

                async fn point_appeals(&self, point: i64, page: Page) -> StoreResult<Vec<AppealId>> {
                    let rows = ::sqlx::query(::sqlx::AssertSqlSafe(format!(
                        "SELECT ap.appeal_id FROM appeal_points ap JOIN appeals a ON a.id = ap.appeal_id \
                         WHERE ap.point_id = $1 AND a.status NOT IN {} \
                         ORDER BY ap.created_ms DESC, ap.appeal_id DESC LIMIT $2 OFFSET $3",
                        closed_statuses()
                    )))
                    .bind(point)
                    .bind(page.limit)
                    .bind(page.offset)
                    .fetch_all(self.reader())
                    .await
                    .map_err(db_err)?;
                    rows.iter().map(|r| Ok(AppealId(r.try_get(0).map_err(db_err)?))).collect()
                }

                async fn complained_points(
                    &self,
                    since: DateTime<Utc>,
                    min: i64,
                    page: Page,
                ) -> StoreResult<Vec<$crate::ComplainedPoint>> {
                    let rows = ::sqlx::query(::sqlx::AssertSqlSafe(format!(
                        "SELECT ap.point_id, COUNT(*) AS open_appeals FROM appeal_points ap \
                         JOIN appeals a ON a.id = ap.appeal_id \
                         WHERE a.created_ms >= $1 AND a.status NOT IN {} \
                         GROUP BY ap.point_id HAVING COUNT(*) >= $2 \
                         ORDER BY open_appeals DESC, ap.point_id LIMIT $3 OFFSET $4",
                        closed_statuses()
                    )))
                    .bind(to_ms(since))
                    .bind(min)
                    .bind(page.limit)
                    .bind(page.offset)
                    .fetch_all(self.reader())
                    .await
                    .map_err(db_err)?;
                    let mut out = Vec::with_capacity(rows.len());
                    for r in &rows {
                        let id: i64 = r.try_get(0).map_err(db_err)?;
                        out.push($crate::ComplainedPoint {
                            point: <$store as $crate::PointStore>::point(self, id).await?,
                            open_appeals: r.try_get(1).map_err(db_err)?,
                        });
                    }
                    Ok(out)
                }
            }
    };
}
