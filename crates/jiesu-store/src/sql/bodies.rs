//! Bodies (承办单位): the city's organisation tree.

/// Implements [`BodyStore`](crate::BodyStore) inside [`sql_store!`](crate::sql_store).
#[macro_export]
#[doc(hidden)]
macro_rules! sql_bodies {
    ($store:ty, $db:ty) => {
            #[$crate::async_trait]
            impl $crate::BodyStore for $store {
                async fn create_body(&self, body: &NewBody) -> StoreResult<Body> {
                    let mut tx = self.writer().begin().await.map_err(db_err)?;
                    let row = ::sqlx::query(
                        "INSERT INTO bodies (name, kind, parent_id, areas) VALUES ($1, $2, $3, $4) RETURNING id",
                    )
                    .bind(body.name.as_str())
                    .bind(body.kind.label())
                    .bind(body.parent.map(|p| p.0))
                    .bind(to_json(&body.areas)?)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(|e| match db_err(e) {
                        StoreError::MissingReference { .. } => StoreError::NotFound("上级单位"),
                        other => other,
                    })?;
                    bump_settings_version(&mut tx).await?;
                    tx.commit().await.map_err(db_err)?;
                    Ok(Body {
                        id: BodyId(row.try_get(0).map_err(db_err)?),
                        name: body.name.clone(),
                        kind: body.kind,
                        parent: body.parent,
                        areas: body.areas.clone(),
                    })
                }

                async fn bodies(&self) -> StoreResult<Vec<Body>> {
                    let rows = ::sqlx::query("SELECT id, name, kind, parent_id, areas FROM bodies ORDER BY id")
                        .fetch_all(self.reader())
                        .await
                        .map_err(db_err)?;
                    rows.iter()
                        .map(|row| {
                            let kind: String = row.try_get(2).map_err(db_err)?;
                            Ok(Body {
                                id: BodyId(row.try_get(0).map_err(db_err)?),
                                name: row.try_get(1).map_err(db_err)?,
                                kind: BodyKind::parse(&kind).map_err(|e| StoreError::Corrupt(e.to_string()))?,
                                parent: row.try_get::<Option<i64>, _>(3).map_err(db_err)?.map(BodyId),
                                areas: from_json(&row.try_get::<String, _>(4).map_err(db_err)?)?,
                            })
                        })
                        .collect()
                }
            }
    };
}
