//! The command line (命令行). Every option may also come from the environment
//! (`JIESU_DB`, `JIESU_LISTEN`); a flag wins over the environment, which wins over the default.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// The default database: an SQLite file in the working directory.
pub const DEFAULT_DB: &str = "sqlite://jiesu.db";

#[derive(Parser)]
#[command(
    name = "jiesu",
    version,
    about = "jiesu 接诉：12345 诉求受理、派单、督办与考核平台"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Serve the web pages and the API.
    Serve {
        /// `sqlite:///path/file.db` or `postgres://user@host/db`.
        #[arg(long, env = "JIESU_DB", default_value = DEFAULT_DB)]
        db: String,
        #[arg(long, env = "JIESU_LISTEN", default_value = "127.0.0.1:8080")]
        listen: String,
        #[command(flatten)]
        jobs: JobOptions,
    },
    /// Create a demo database (a generated city, one user per role, thousands of appeals),
    /// print the logins, then serve it.
    Demo {
        #[arg(long, env = "JIESU_LISTEN", default_value = "127.0.0.1:8080")]
        listen: String,
        #[arg(long, default_value = "demo-data")]
        data_dir: PathBuf,
        /// How many appeals to generate.
        #[arg(long, default_value_t = 6000)]
        appeals: usize,
        /// Create the data and exit without serving.
        #[arg(long)]
        no_serve: bool,
        #[command(flatten)]
        jobs: JobOptions,
    },
    /// Apply pending database migrations.
    Migrate {
        #[arg(long, env = "JIESU_DB", default_value = DEFAULT_DB)]
        db: String,
    },
    /// Create an administrator account.
    CreateAdmin {
        #[arg(long, env = "JIESU_DB", default_value = DEFAULT_DB)]
        db: String,
        #[arg(long)]
        username: String,
        /// The password; read from `JIESU_ADMIN_PASSWORD` if not given.
        #[arg(long, env = "JIESU_ADMIN_PASSWORD")]
        password: String,
    },
    /// Write a consistent copy of a live database to FILE (备份).
    Backup {
        #[arg(long, env = "JIESU_DB", default_value = DEFAULT_DB)]
        db: String,
        #[arg(long)]
        out: PathBuf,
    },
    /// Restore a backup into a new, empty database (恢复).
    Restore {
        file: PathBuf,
        #[arg(long, env = "JIESU_DB", default_value = DEFAULT_DB)]
        db: String,
    },
    /// Rebuild the full-text index from the database (重建索引).
    Reindex {
        #[arg(long, env = "JIESU_DB", default_value = DEFAULT_DB)]
        db: String,
        /// Default: as for `serve`.
        #[arg(long, env = "JIESU_INDEX_DIR")]
        index_dir: Option<PathBuf>,
    },
    /// Import data.
    Import {
        #[command(subcommand)]
        what: ImportCommand,
    },
    /// Export data.
    Export {
        #[command(subcommand)]
        what: ExportCommand,
    },
    /// Train models from the centre's history.
    Train {
        #[command(subcommand)]
        what: TrainCommand,
    },
    /// Automatic dispatch (自动派单): show or change its settings.
    Dispatch {
        #[command(subcommand)]
        what: DispatchCommand,
    },
    /// Dispatch model versions (派单模型) and the learning loop (模型与学习).
    Models {
        #[command(subcommand)]
        what: ModelsCommand,
    },
    /// The working-day calendar (工作日历).
    Calendar {
        #[command(subcommand)]
        what: CalendarCommand,
    },
    /// Measure performance and accuracy.
    Bench {
        #[command(subcommand)]
        what: BenchCommand,
    },
    /// Reports (报告).
    Report {
        #[command(subcommand)]
        what: ReportCommand,
    },
    /// Assessment of bodies (考核).
    Assessment {
        #[command(subcommand)]
        what: AssessmentCommand,
    },
    /// Check the audit trail (审计).
    Audit {
        #[command(subcommand)]
        what: AuditCommand,
    },
    /// Government tasks (督查督办): policy documents turned into task lists.
    Tasks {
        #[command(subcommand)]
        what: TasksCommand,
    },
    /// Service points (便民点位): import and export the point table.
    Points {
        #[command(subcommand)]
        what: PointsCommand,
    },
    /// Suggestion campaigns (民生实事意见征集): list, group the proposals, export.
    Campaigns {
        #[command(subcommand)]
        what: CampaignsCommand,
    },
}

#[derive(Subcommand)]
pub enum CampaignsCommand {
    /// Every campaign with its state and its numbers of proposals and groups.
    List {
        #[arg(long, env = "JIESU_DB", default_value = DEFAULT_DB)]
        db: String,
    },
    /// Group a closed campaign's proposals by subject and place and rank the groups
    /// (replacing earlier groups while no body has answered).
    Group {
        id: i64,
        #[arg(long, env = "JIESU_DB", default_value = DEFAULT_DB)]
        db: String,
    },
    /// Write the whole campaign — its groups, answers and proposals — to FILE (.xlsx).
    Export {
        id: i64,
        file: PathBuf,
        #[arg(long, env = "JIESU_DB", default_value = DEFAULT_DB)]
        db: String,
    },
}

#[derive(Subcommand)]
pub enum PointsCommand {
    /// Import a point table (.csv or .xlsx): every row or none; a bad row is reported by
    /// its line. Rows with an 编号 replace that point.
    Import {
        file: PathBuf,
        #[arg(long, env = "JIESU_DB", default_value = DEFAULT_DB)]
        db: String,
    },
    /// Export every point to FILE (.csv or .xlsx, by its extension).
    Export {
        file: PathBuf,
        #[arg(long, env = "JIESU_DB", default_value = DEFAULT_DB)]
        db: String,
    },
}

#[derive(Subcommand)]
pub enum TasksCommand {
    /// Split a policy document's plain text (UTF-8) into its measures, one proposed task each.
    Import {
        file: PathBuf,
        /// The year deadlines without one ("年底前") fall in; default: the document's own
        /// year, else the current year.
        #[arg(long)]
        year: Option<i32>,
        /// Print the proposed list without storing it.
        #[arg(long)]
        dry_run: bool,
        /// Print a JSON array, one object per task.
        #[arg(long)]
        json: bool,
        /// The document's title the drafts cite; default: the file's name.
        #[arg(long)]
        document: Option<String>,
        #[arg(long, env = "JIESU_DB", default_value = DEFAULT_DB)]
        db: String,
    },
    /// Publish task drafts (发布): every one goes live, or none does.
    Publish {
        /// The drafts' ids.
        ids: Vec<i64>,
        /// Publish every draft there is.
        #[arg(long, conflicts_with = "ids")]
        all_drafts: bool,
        /// Map a body name as written to a body id (`名称=编号`), or leave it out (`名称=`).
        #[arg(long = "map", value_name = "NAME=ID")]
        mapping: Vec<String>,
        /// Give a task lead bodies (`任务编号=单位编号[,单位编号…]`).
        #[arg(long = "lead", value_name = "TASK=BODY")]
        leads: Vec<String>,
        #[arg(long, env = "JIESU_DB", default_value = DEFAULT_DB)]
        db: String,
    },
    /// Show a task: bodies, milestones, reports and their review, reminders.
    Show {
        id: i64,
        #[arg(long, env = "JIESU_DB", default_value = DEFAULT_DB)]
        db: String,
    },
    /// Report progress on a task (进展报送) as a user of one of its bodies.
    Report {
        id: i64,
        /// The username acting.
        #[arg(long = "as")]
        user: String,
        #[arg(long)]
        text: String,
        /// 0 to 100.
        #[arg(long)]
        percent: u8,
        /// An attached file's name (repeatable).
        #[arg(long = "attachment")]
        attachments: Vec<String>,
        /// The milestone this report says is reached.
        #[arg(long)]
        milestone: Option<i64>,
        #[arg(long, env = "JIESU_DB", default_value = DEFAULT_DB)]
        db: String,
    },
    /// Review a progress report (审核) as the supervision office: accept, or send back.
    Review {
        /// The report's id.
        report: i64,
        #[arg(long = "as")]
        user: String,
        /// Send the report back with this reason instead of accepting it.
        #[arg(long)]
        send_back: Option<String>,
        #[arg(long, env = "JIESU_DB", default_value = DEFAULT_DB)]
        db: String,
    },
    /// Close a done task (销号) as the supervision office, with the verification note.
    Close {
        id: i64,
        #[arg(long = "as")]
        user: String,
        #[arg(long)]
        note: String,
        #[arg(long, env = "JIESU_DB", default_value = DEFAULT_DB)]
        db: String,
    },
    /// Urge a live open task (督办) as the supervision office, with a note its bodies read.
    Urge {
        id: i64,
        #[arg(long = "as")]
        user: String,
        #[arg(long)]
        note: String,
        #[arg(long, env = "JIESU_DB", default_value = DEFAULT_DB)]
        db: String,
    },
    /// The 临期/超期 alerts and urges a user reads (their body's; every body's for the office).
    Reminders {
        #[arg(long = "as")]
        user: String,
        #[arg(long, env = "JIESU_DB", default_value = DEFAULT_DB)]
        db: String,
    },
    /// List tasks: drafts, live ones, or all.
    List {
        #[arg(long, conflicts_with = "live")]
        drafts: bool,
        #[arg(long)]
        live: bool,
        #[arg(long, env = "JIESU_DB", default_value = DEFAULT_DB)]
        db: String,
    },
}

#[derive(Subcommand)]
pub enum ReportCommand {
    /// The monthly report (月度报告) as an Excel workbook: volumes, the 三率, rankings,
    /// overdue and reopened cases, hot issues.
    Monthly {
        #[arg(long, env = "JIESU_DB", default_value = DEFAULT_DB)]
        db: String,
        /// The month, `YYYY-MM`.
        #[arg(long)]
        month: String,
        /// The workbook to write (`.xlsx`).
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
pub enum AssessmentCommand {
    /// Rebuild the assessment facts of appeals recorded before they were kept (补建考核事实),
    /// from each appeal's events; appeals that have them are left as they are.
    Rebuild {
        #[arg(long, env = "JIESU_DB", default_value = DEFAULT_DB)]
        db: String,
    },
}

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Check every appeal's hash-chained events; names the first broken link and fails.
    Verify {
        #[arg(long, env = "JIESU_DB", default_value = DEFAULT_DB)]
        db: String,
    },
}

/// The background jobs of a server (后台任务).
#[derive(clap::Args, Clone)]
pub struct JobOptions {
    /// Seconds between deadline scans (临期、超期扫描).
    #[arg(long, env = "JIESU_SCAN_SECONDS", default_value_t = 60)]
    pub scan_seconds: u64,
    /// Working days overdue after which a case is reported to the superior (上报). Stored in
    /// the database for every server: given here, it replaces the stored value (default 3).
    #[arg(long, env = "JIESU_ESCALATE_AFTER_DAYS")]
    pub escalate_after_days: Option<u32>,
    /// Seconds between checks for settings changed by any server (time limits, calendar,
    /// categories, routing, escalation, bodies, the active dispatch model).
    #[arg(long, env = "JIESU_SETTINGS_SECONDS", default_value_t = 2)]
    pub settings_seconds: u64,
    /// The full-text index's directory (a derived store, rebuilt from the database if lost);
    /// by default beside an SQLite file (`jiesu.db-index`), under `jiesu-index/` for
    /// PostgreSQL, or DATA_DIR/index for `demo`.
    #[arg(long, env = "JIESU_INDEX_DIR")]
    pub index_dir: Option<PathBuf>,
    /// The public URL, TLS, connection limits and limits on anonymous submissions.
    #[command(flatten)]
    pub server: crate::server_options::ServerOptions,
    /// Where attachments are kept and their limits.
    #[command(flatten)]
    pub files: crate::file_options::FileOptions,
    /// Smart dispatch's learning loop.
    #[command(flatten)]
    pub learning: crate::learning_options::LearningOptions,
    /// POST every notice as JSON to this URL (消息推送); off when empty.
    #[arg(long, env = "JIESU_WEBHOOK_URL", default_value = "")]
    pub webhook_url: String,
    /// Telling citizens (通知): off, the log, or an SMS gateway.
    #[command(flatten)]
    pub notify: crate::notify_options::NotifyOptions,
}

impl JobOptions {
    /// The options `jiesu serve` would run with (defaults and `JIESU_*` variables), with
    /// the index in `index_dir`.
    pub fn as_serve(index_dir: PathBuf) -> JobOptions {
        #[derive(clap::Parser)]
        struct Serve {
            #[command(flatten)]
            jobs: JobOptions,
        }
        let mut jobs = <Serve as clap::Parser>::parse_from(["jiesu"]).jobs;
        jobs.index_dir = Some(index_dir);
        jobs
    }
}

#[derive(Subcommand)]
pub enum ImportCommand {
    /// Appeals from CSV or XLSX with the columns id,title,detail,time,category.
    Appeals {
        file: PathBuf,
        #[arg(long, env = "JIESU_DB", default_value = DEFAULT_DB)]
        db: String,
    },
    /// The category taxonomy from CSV (一级分类,二级分类,三级分类).
    Taxonomy {
        file: PathBuf,
        #[arg(long, env = "JIESU_DB", default_value = DEFAULT_DB)]
        db: String,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    Csv,
    Xlsx,
}

#[derive(Subcommand)]
pub enum ExportCommand {
    /// Every appeal, one row each.
    Appeals {
        #[arg(long, value_enum, default_value = "csv")]
        format: ExportFormat,
        /// Output file; CSV goes to standard output when omitted.
        #[arg(long)]
        out: Option<PathBuf>,
        #[arg(long, env = "JIESU_DB", default_value = DEFAULT_DB)]
        db: String,
    },
}

#[derive(Subcommand)]
pub enum TrainCommand {
    /// The dispatch classifier (智能派单), stored as a new version and activated; running
    /// servers pick it up without a restart.
    Dispatch {
        /// `db` (the appeals in the database, with every correction) or a CSV/XLSX file with
        /// the columns id,title,detail,time,category.
        #[arg(long, default_value = "db")]
        from: String,
        #[arg(long, env = "JIESU_DB", default_value = DEFAULT_DB)]
        db: String,
        /// Store the new version without activating it.
        #[arg(long)]
        no_activate: bool,
    },
}

#[derive(Subcommand)]
pub enum DispatchCommand {
    /// Show automatic dispatch, or change it with the options given (off until turned on);
    /// prints the settings and the active model's threshold at the target precision.
    Auto {
        /// Turn automatic dispatch on.
        #[arg(long, conflicts_with = "off")]
        on: bool,
        /// Turn it off.
        #[arg(long)]
        off: bool,
        /// Target precision, e.g. 0.98.
        #[arg(long)]
        precision: Option<f64>,
        /// Only these appeal types (投诉,求助,…), comma-separated; an empty value allows all.
        #[arg(long, value_delimiter = ',')]
        types: Option<Vec<String>>,
        /// Only these channels (热线,网站,…), comma-separated; an empty value allows all.
        #[arg(long, value_delimiter = ',')]
        channels: Option<Vec<String>>,
        /// Only these first-level categories, comma-separated; an empty value allows all.
        #[arg(long, value_delimiter = ',')]
        categories: Option<Vec<String>>,
        #[arg(long, env = "JIESU_DB", default_value = DEFAULT_DB)]
        db: String,
    },
}

#[derive(Subcommand)]
pub enum ModelsCommand {
    /// Every stored dispatch model: version, state, records, macro-F1, the share it
    /// dispatches on its own at 98 % precision, and its live figures when active.
    List {
        #[arg(long, env = "JIESU_DB", default_value = DEFAULT_DB)]
        db: String,
    },
    /// Make a stored version the active model (启用); running servers follow.
    Activate {
        version: i64,
        #[arg(long, env = "JIESU_DB", default_value = DEFAULT_DB)]
        db: String,
    },
    /// Train a candidate on the history and the labelled examples (学习样本), compare it
    /// with the active model on recent held-back appeals, activate it if not worse.
    Retrain {
        #[arg(long, env = "JIESU_DB", default_value = DEFAULT_DB)]
        db: String,
    },
    /// Activate model VERSION and pin it (锁定): retrains no longer replace it.
    Pin {
        version: i64,
        #[arg(long, env = "JIESU_DB", default_value = DEFAULT_DB)]
        db: String,
    },
    /// Let retrains activate better models again.
    Unpin {
        #[arg(long, env = "JIESU_DB", default_value = DEFAULT_DB)]
        db: String,
    },
    /// Labelled examples per source, the pinned model and the retrains so far.
    Learning {
        #[arg(long, env = "JIESU_DB", default_value = DEFAULT_DB)]
        db: String,
    },
}

#[derive(Subcommand)]
pub enum CalendarCommand {
    /// Print `workday`, `holiday` or `weekend` for DATE (YYYY-MM-DD).
    Check {
        date: String,
        /// Also apply the years imported into this database.
        #[arg(long)]
        db: Option<String>,
    },
    /// Print the N-th working day after DATE (DATE itself not counted).
    Add {
        date: String,
        n: u32,
        #[arg(long)]
        db: Option<String>,
    },
    /// Print the moment N working hours after DATETIME (YYYY-MM-DD HH:MM).
    AddHours {
        datetime: String,
        n: f64,
        #[arg(long)]
        db: Option<String>,
    },
    /// Import (or replace) one year's schedule from a file in the documented format.
    Import {
        file: PathBuf,
        #[arg(long, env = "JIESU_DB", default_value = DEFAULT_DB)]
        db: String,
    },
}

#[derive(Subcommand)]
pub enum BenchCommand {
    /// Suggestion campaigns: grouping and ranking N invented proposals.
    Campaign {
        #[arg(long, default_value_t = 100_000)]
        proposals: usize,
    },
    /// Service points: nearest-10 queries over N points (p99) and the /points list page
    /// with filters (p95).
    Points {
        #[arg(long, default_value_t = 100_000)]
        points: usize,
        /// Nearest queries to time.
        #[arg(long, default_value_t = 5_000)]
        queries: usize,
        /// List pages to time.
        #[arg(long, default_value_t = 300)]
        pages: usize,
    },
    /// Appeals per second submitted over HTTP, against the raw insert rate of the database.
    Intake {
        /// The database to measure; a fresh temporary SQLite file when omitted.
        #[arg(long)]
        db: Option<String>,
        #[arg(long, default_value_t = 100_000)]
        appeals: usize,
        #[arg(long, default_value_t = 32)]
        concurrency: usize,
    },
    /// Dispatch accuracy and speed: trains on one file, evaluates on another (or by K-fold
    /// cross-validation), beside a classical TF-IDF baseline.
    Dispatch {
        #[arg(long)]
        train: PathBuf,
        #[arg(long)]
        test: Option<PathBuf>,
        #[arg(long, default_value_t = 5)]
        folds: usize,
        /// Instead: hold CATEGORY (default: the smallest) out of training and feed 5, 10,
        /// 20, 50 of its records through the learning path (学习样本).
        #[arg(long, value_name = "CATEGORY", num_args = 0..=1, default_missing_value = "")]
        new_class: Option<String>,
        /// With --new-class: the share of other categories' appeals the new one may take
        /// (the adaptation's threshold); default as the server uses.
        #[arg(long, requires = "new_class")]
        max_false_positive: Option<f32>,
    },
    /// Deadline states of N open appeals, and one scanner pass when 1% of them are due
    /// (the median of several passes, each on a fresh copy of the database).
    /// A year of appeals with callbacks and returns: one month's assessment of every body,
    /// then the monthly report.
    Assessment {
        #[arg(long, default_value_t = 1_000_000)]
        appeals: usize,
        /// Where to keep the report (default: a temporary file).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    Deadlines {
        #[arg(long, default_value_t = 1_000_000)]
        appeals: usize,
        /// How many passes to time.
        #[arg(long, default_value_t = 3)]
        passes: usize,
    },
    /// The learning loop's examples over N dispatched appeals (SQLite): the first fill, then
    /// an advance with nothing new (the median of several).
    Learning {
        #[arg(long, default_value_t = 100_000)]
        appeals: usize,
        /// How many advances to time.
        #[arg(long, default_value_t = 5)]
        advances: usize,
    },
    /// Full-text search over N generated appeals: indexing rate, query and duplicate-check
    /// latency.
    Search {
        #[arg(long, default_value_t = 1_000_000)]
        appeals: usize,
        /// Keep the index in this directory (a temporary one when omitted).
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// Server-side render time of every page, over a demo data set of N appeals.
    Pages {
        #[arg(long, default_value_t = 100_000)]
        appeals: usize,
        /// Requests per page.
        #[arg(long, default_value_t = 50)]
        rounds: usize,
        /// Keep the demo database (and its search index beside it) in this SQLite file and
        /// reuse it when it already holds appeals; a temporary one when omitted.
        #[arg(long)]
        db: Option<PathBuf>,
    },
    /// Hot-issue discovery over a file in the format of hot_messages.csv, or over N
    /// generated messages: the ranked groups as CSV, then the RESULT line.
    Hot {
        /// 留言文件（格式同 hot_messages.csv）
        #[arg(
            long,
            required_unless_present = "generate",
            conflicts_with = "generate"
        )]
        input: Option<PathBuf>,
        /// 不读文件，生成 N 条模拟留言再分析（计时从读入 CSV 开始，与 --input 相同）
        #[arg(long, value_name = "N")]
        generate: Option<usize>,
        /// 把生成的留言另存为 CSV，之后可用 --input 重跑
        #[arg(long, value_name = "FILE", requires = "generate")]
        save: Option<PathBuf>,
        /// 输出热度最高的前 N 个问题
        #[arg(long, default_value_t = 20)]
        top: usize,
    },
    /// Reply review (答复评价) of a file in the format of replies.csv: the score distribution,
    /// the weakest and strongest replies with their gaps, then the RESULT line; with
    /// `--swap-eval`, ROC-AUC of relevance against a TF-IDF cosine on a swapped set.
    Replies {
        /// 答复文件（格式同 replies.csv）
        #[arg(long)]
        input: PathBuf,
        /// 把每条答复的评分写入此 CSV 文件
        #[arg(long, value_name = "FILE")]
        scores: Option<PathBuf>,
        /// 错配检验：每条诉求配本身答复与最相似诉求的答复，比较针对性与 TF-IDF 余弦的 ROC-AUC
        #[arg(long, conflicts_with = "scores")]
        swap_eval: bool,
    },
    /// A mixed read/write workload at a fixed rate (open loop) against a server (in-process
    /// on a demo database when no URL is given): errors, p50/p99 latency, server memory.
    Load {
        #[arg(long, default_value_t = 10.0)]
        minutes: f64,
        /// Requests per second.
        #[arg(long, default_value_t = 500)]
        rate: u32,
        /// A running server to drive (signs in with the demo logins); in-process when omitted.
        #[arg(long)]
        url: Option<String>,
        /// The process id of the server at `--url`, to read its memory use.
        #[arg(long)]
        pid: Option<u32>,
        /// Appeals in the in-process demo database.
        #[arg(long, default_value_t = 20_000)]
        appeals: usize,
    },
    /// Government tasks: N tasks with milestones and a year of reports, the deadline scan,
    /// the per-body board (p95) and the import of seed document 001.
    Tasks {
        #[arg(long, default_value_t = 100_000)]
        tasks: usize,
        /// The folder holding the seed pages (the file named 001… is imported).
        #[arg(long, default_value = "../shared/seeds")]
        seeds: PathBuf,
    },
}
