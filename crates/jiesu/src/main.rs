//! `jiesu` (接诉): the one binary — server, demo, operations and benchmarks.

mod backend;
mod bench;
mod cli;
mod commands;
mod demo;
mod file_options;
mod jobs;
mod learning_options;
mod notify_options;
mod server_options;
mod table;

use clap::Parser;

/// mimalloc instead of glibc's allocator: under load glibc's per-thread arenas kept growing
/// (fragmentation), and allocation was ~7% of the server's time. Built without transparent
/// huge pages (`no_thp`): zeroing fresh 2 MB pages took over half of a scanner batch's
/// writing thread. With `override` it also serves C's `malloc`, so SQLite's page caches,
/// statements and journals: glibc handed the free top of each thread's heap back to the
/// kernel as soon as it passed 128 KB, and the next scanner batch faulted it back in page by
/// page: in one profiled pass, an eighth of the SQLite writer thread's samples.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("JIESU_LOG").unwrap_or_else(|_| {
                tracing_subscriber::EnvFilter::new("info,sqlx=warn,tower_http=warn")
            }),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = cli::Cli::parse();
    match commands::run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("错误：{e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
