//! `jiesu bench pages`: being written.

pub async fn run(_appeals: usize, _rounds: usize) -> anyhow::Result<()> {
    anyhow::bail!("尚未实现")
}
