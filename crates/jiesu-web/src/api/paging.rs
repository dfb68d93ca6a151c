//! Paging parameters (分页): `offset` and `limit` of the list routes. A negative offset is
//! refused rather than silently read as 0.

use jiesu_store::Page;

use crate::error::ApiError;

/// Items a page holds unless the caller says otherwise.
pub const DEFAULT_LIMIT: i64 = 20;

/// The page `offset`/`limit` ask for; 400 for a negative offset.
pub fn page(offset: Option<i64>, limit: Option<i64>) -> Result<Page, ApiError> {
    let offset = offset.unwrap_or(0);
    if offset < 0 {
        return Err(ApiError::bad_request("offset 不能为负数"));
    }
    Ok(Page::new(offset, limit.unwrap_or(DEFAULT_LIMIT)))
}
