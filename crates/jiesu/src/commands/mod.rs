//! The subcommands, one module each.

mod admin;
mod assessment;
mod audit;
mod backup;
pub mod calendar;
mod campaigns;
mod demo;
mod dispatch;
mod models;
mod points;
mod reindex;
pub mod report;
pub mod serve;
mod task_follow;
mod tasks;
mod train;
mod transfer;

use anyhow::Result;

use crate::cli::{
    AssessmentCommand, AuditCommand, BenchCommand, CalendarCommand, CampaignsCommand, Cli, Command,
    DispatchCommand, ExportCommand, ImportCommand, ModelsCommand, PointsCommand, ReportCommand,
    TasksCommand, TrainCommand,
};

pub use serve::serve_until_ctrl_c;

pub async fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Serve { db, listen, jobs } => serve::run(&db, &listen, &jobs).await,
        Command::Demo {
            listen,
            data_dir,
            appeals,
            no_serve,
            jobs,
        } => demo::run(&listen, &data_dir, appeals, no_serve, &jobs).await,
        Command::Migrate { db } => admin::migrate(&db).await,
        Command::CreateAdmin {
            db,
            username,
            password,
        } => admin::create_admin(&db, &username, &password).await,
        Command::Reindex { db, index_dir } => {
            let dir = index_dir.unwrap_or_else(|| serve::default_index_dir(&db));
            reindex::run(&db, &dir).await
        }
        Command::Backup { db, out } => backup::backup(&db, &out).await,
        Command::Restore { file, db } => backup::restore(&file, &db).await,
        Command::Import { what } => match what {
            ImportCommand::Appeals { file, db } => transfer::import_appeals(&file, &db).await,
            ImportCommand::Taxonomy { file, db } => transfer::import_taxonomy(&file, &db).await,
        },
        Command::Export { what } => match what {
            ExportCommand::Appeals { format, out, db } => {
                transfer::export_appeals(format, out.as_deref(), &db).await
            }
        },
        Command::Train { what } => match what {
            TrainCommand::Dispatch {
                from,
                db,
                no_activate,
            } => train::dispatch(&from, &db, !no_activate).await,
        },
        Command::Dispatch { what } => match what {
            DispatchCommand::Auto {
                on,
                off,
                precision,
                types,
                channels,
                categories,
                db,
            } => {
                let change = dispatch::AutoChange {
                    enabled: (on || off).then_some(on),
                    precision,
                    types,
                    channels,
                    categories,
                };
                dispatch::auto(change, &db).await
            }
        },
        Command::Models { what } => match what {
            ModelsCommand::List { db } => dispatch::list_models(&db).await,
            ModelsCommand::Activate { version, db } => dispatch::activate(version, &db).await,
            ModelsCommand::Retrain { db } => models::retrain(&db).await,
            ModelsCommand::Pin { version, db } => models::pin(&db, Some(version)).await,
            ModelsCommand::Unpin { db } => models::pin(&db, None).await,
            ModelsCommand::Learning { db } => models::learning(&db).await,
        },
        Command::Calendar { what } => match what {
            CalendarCommand::Check { date, db } => calendar::check(&date, db.as_deref()).await,
            CalendarCommand::Add { date, n, db } => calendar::add(&date, n, db.as_deref()).await,
            CalendarCommand::AddHours { datetime, n, db } => {
                calendar::add_hours(&datetime, n, db.as_deref()).await
            }
            CalendarCommand::Import { file, db } => calendar::import(&file, &db).await,
        },
        Command::Bench { what } => match what {
            BenchCommand::Points {
                points,
                queries,
                pages,
            } => crate::bench::points::run(points, queries, pages).await,
            BenchCommand::Intake {
                db,
                appeals,
                concurrency,
            } => crate::bench::intake::run(db.as_deref(), appeals, concurrency).await,
            BenchCommand::Campaign { proposals } => crate::bench::campaign::run(proposals),
            BenchCommand::Hot {
                input,
                generate,
                save,
                top,
            } => crate::bench::hot::run(input.as_deref(), generate, save.as_deref(), top),
            BenchCommand::Replies {
                input,
                scores,
                swap_eval,
            } => crate::bench::replies::run(&input, scores.as_deref(), swap_eval),
            BenchCommand::Search { appeals, dir } => {
                crate::bench::search::run(appeals, dir.as_deref())
            }
            BenchCommand::Assessment { appeals, out } => {
                crate::bench::assessment::run(appeals, out.as_deref()).await
            }
            BenchCommand::Tasks { tasks, seeds } => crate::bench::tasks::run(tasks, &seeds).await,
            BenchCommand::Deadlines { appeals, passes } => {
                crate::bench::deadlines::run(appeals, passes).await
            }
            BenchCommand::Learning { appeals, advances } => {
                crate::bench::learning::run(appeals, advances).await
            }
            BenchCommand::Dispatch {
                train,
                test,
                folds: _,
                new_class: Some(class),
                max_false_positive,
            } => crate::bench::dispatch_new_class::run(
                &train,
                test.as_deref(),
                Some(class.as_str()).filter(|c| !c.is_empty()),
                max_false_positive,
            ),
            BenchCommand::Dispatch {
                train,
                test,
                folds,
                new_class: None,
                ..
            } => crate::bench::dispatch::run(&train, test.as_deref(), folds),
            BenchCommand::Pages {
                appeals,
                rounds,
                db,
            } => crate::bench::pages::run(appeals, rounds, db.as_deref()).await,
            BenchCommand::Load {
                minutes,
                rate,
                url,
                pid,
                appeals,
            } => crate::bench::load::run(minutes, rate, url.as_deref(), pid, appeals).await,
        },
        Command::Report { what } => match what {
            ReportCommand::Monthly { db, month, out } => report::monthly(&db, &month, &out).await,
        },
        Command::Assessment { what } => match what {
            AssessmentCommand::Rebuild { db } => assessment::rebuild(&db).await,
        },
        Command::Audit { what } => match what {
            AuditCommand::Verify { db } => audit::verify(&db).await,
        },
        Command::Tasks { what } => match what {
            TasksCommand::Import {
                file,
                year,
                dry_run,
                json,
                document,
                db,
            } => {
                let options = tasks::ImportOptions {
                    year,
                    dry_run,
                    json,
                    document,
                };
                tasks::import(&file, &options, &db).await
            }
            TasksCommand::Publish {
                ids,
                all_drafts,
                mapping,
                leads,
                db,
            } => {
                let mapping = task_follow::mapping(&mapping, &leads)?;
                tasks::publish(&ids, all_drafts, &mapping, &db).await
            }
            TasksCommand::Show { id, db } => task_follow::show(id, &db).await,
            TasksCommand::Report {
                id,
                user,
                text,
                percent,
                attachments,
                milestone,
                db,
            } => task_follow::report(id, &user, text, percent, attachments, milestone, &db).await,
            TasksCommand::Review {
                report,
                user,
                send_back,
                db,
            } => task_follow::review(report, &user, send_back, &db).await,
            TasksCommand::Close { id, user, note, db } => {
                task_follow::close(id, &user, &note, &db).await
            }
            TasksCommand::Urge { id, user, note, db } => {
                task_follow::urge(id, &user, &note, &db).await
            }
            TasksCommand::Reminders { user, db } => task_follow::reminders(&user, &db).await,
            TasksCommand::List { drafts, live, db } => {
                let published = (drafts || live).then_some(live);
                tasks::list(published, &db).await
            }
        },
        Command::Campaigns { what } => match what {
            CampaignsCommand::List { db } => campaigns::list(&db).await,
            CampaignsCommand::Group { id, db } => campaigns::group(id, &db).await,
            CampaignsCommand::Export { id, file, db } => campaigns::export(id, &file, &db).await,
        },
        Command::Points { what } => match what {
            PointsCommand::Import { file, db } => points::import(&file, &db).await,
            PointsCommand::Export { file, db } => points::export(&file, &db).await,
        },
    }
}
