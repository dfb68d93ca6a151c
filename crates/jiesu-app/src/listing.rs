//! Reading many appeals page by page (批量读取): what training, hot issues, the dispatch
//! accuracy report and the exports walk through, without one list of everything in memory.

use jiesu_domain::appeal::Appeal;
use jiesu_store::{AppealFilter, Page, Store, StoreResult};

/// Hands every appeal matching `filter` to `each`, in the list's order, at most `most` of
/// them when given.
pub async fn each_appeal(
    store: &dyn Store,
    filter: &AppealFilter,
    most: Option<i64>,
    mut each: impl FnMut(Appeal),
) -> StoreResult<()> {
    let mut offset = 0;
    while most.is_none_or(|most| offset < most) {
        let page = store
            .list_appeals(filter, Page::new(offset, Page::MAX_LIMIT))
            .await?;
        if page.items.is_empty() {
            break;
        }
        offset += page.items.len() as i64;
        page.items.into_iter().for_each(&mut each);
    }
    Ok(())
}
