//! Bodies (承办单位): the organisation tree appeals are dispatched in.

use async_trait::async_trait;
use jiesu_domain::body::{Body, NewBody};

use crate::error::StoreResult;

#[async_trait]
pub trait BodyStore: Send + Sync {
    async fn create_body(&self, body: &NewBody) -> StoreResult<Body>;
    async fn bodies(&self) -> StoreResult<Vec<Body>>;
}
