//! Runtime configuration and the `wa-emulator` command line.

/// How the emulator behaves; built from CLI flags or directly by tests.
#[derive(Debug, Clone)]
pub struct Config {
    /// Fixture JSON text (the built-in default unless `--seed` is given).
    pub fixture: String,
    /// Where webhooks are POSTed (`http://` only); `None` = no webhooks.
    pub webhook_url: Option<String>,
    /// Secret for `X-Hub-Signature-256`; `None` = the fixture app's secret.
    pub app_secret: Option<String>,
    /// Messages per second per phone number; 0 = unlimited.
    pub throughput: u32,
    /// Pair-rate burst per (sender, recipient); 0 = pair rate off.
    pub pair_burst: u32,
    /// Seconds to earn one more pair-rate message.
    pub pair_interval_secs: f64,
    /// Emulator-clock seconds before a created template is reviewed.
    pub review_delay_secs: f64,
    /// Wall-clock milliseconds between status webhooks (sent, delivered, read).
    pub status_interval_ms: u64,
    /// Whether recipients read messages (per-recipient `reads` in the fixture still applies).
    pub read_receipts: bool,
    /// Report 131026/131047 as `failed` status webhooks after accepting, instead of synchronously.
    pub async_failures: bool,
    /// Log one line per request to stdout.
    pub log_requests: bool,
    /// Messaging tier: unique users per phone number per window for business-initiated
    /// (template, outside the window) sends; over → 131048. 0 = not enforced.
    pub tier_limit: u32,
    /// The tier's rolling window in emulator-clock seconds (Meta: 24 h).
    pub tier_window_secs: f64,
}

/// The built-in default fixture.
pub const DEFAULT_FIXTURE: &str = include_str!("../fixtures/default.json");

impl Default for Config {
    fn default() -> Self {
        Config {
            fixture: DEFAULT_FIXTURE.to_owned(),
            webhook_url: None,
            app_secret: None,
            throughput: 80,
            pair_burst: 45,
            pair_interval_secs: 6.0,
            review_delay_secs: 5.0,
            status_interval_ms: 100,
            read_receipts: true,
            async_failures: false,
            log_requests: true,
            tier_limit: 0,
            tier_window_secs: 86_400.0,
        }
    }
}

/// Parsed command line.
#[derive(Debug, Clone)]
pub struct Cli {
    pub host: String,
    pub port: u16,
    pub config: Config,
}

pub const USAGE: &str = "wa-emulator — local emulator of Meta's Graph API for WhatsApp Business Cloud

USAGE: wa-emulator [--port 8089] [--host 127.0.0.1] [--seed FILE] [--webhook-url URL]
                   [--app-secret S] [--throughput 80] [--pair-burst 45] [--pair-interval 6]
                   [--review-delay 5] [--status-interval-ms 100] [--no-read-receipts]
                   [--async-failures] [--tier-limit 0] [--tier-window 86400] [--quiet]

  --port N               TCP port (default 8089; 0 = any free port)
  --host ADDR            bind address (default 127.0.0.1)
  --seed FILE            fixture JSON replacing the built-in one
  --webhook-url URL      POST signed webhooks here (http:// only)
  --app-secret S         HMAC key for X-Hub-Signature-256 (default: fixture app secret, test-app-secret)
  --throughput N         messages/s per phone number, over → 130429 (default 80, 0 = unlimited)
  --pair-burst N         messages to one user before pair rate applies, over → 131056 (default 45, 0 = off)
  --pair-interval S      seconds per extra message to one user (default 6)
  --review-delay S       emulator-clock seconds until a created template is reviewed (default 5)
  --status-interval-ms N wall-clock ms between sent/delivered/read webhooks (default 100)
  --no-read-receipts     recipients never read (no `read` status)
  --async-failures       accept sends to non-WhatsApp users / closed windows, then send a `failed`
                         status webhook (131026 / 131047) instead of a synchronous error
  --tier-limit N         unique users per number per tier window for template sends outside the
                         24-hour window; a new user over it → 131048 (default 0 = off)
  --tier-window S        the tier's rolling window in emulator-clock seconds (default 86400)
  --quiet                no per-request log lines
";

fn num<T: std::str::FromStr>(flag: &str, v: Option<String>) -> Result<T, String> {
    let v = v.ok_or_else(|| format!("{flag} needs a value"))?;
    v.parse::<T>()
        .map_err(|_| format!("{flag}: invalid value {v:?}"))
}

/// Parses `std::env::args().skip(1)`. `Ok(None)` means `--help` was asked for.
pub fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Option<Cli>, String> {
    let mut cli = Cli {
        host: "127.0.0.1".into(),
        port: 8089,
        config: Config::default(),
    };
    let mut it = args.into_iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_owned(), Some(v.to_owned())),
            _ => (arg.clone(), None),
        };
        let mut value = || inline.clone().or_else(|| it.next());
        let c = &mut cli.config;
        match flag.as_str() {
            "-h" | "--help" => return Ok(None),
            "--port" => cli.port = num(&flag, value())?,
            "--host" => cli.host = value().ok_or("--host needs a value")?,
            "--seed" => {
                let path = value().ok_or("--seed needs a file")?;
                c.fixture =
                    std::fs::read_to_string(&path).map_err(|e| format!("--seed {path}: {e}"))?;
            }
            "--webhook-url" => {
                let u = value().ok_or("--webhook-url needs a URL")?;
                if !u.starts_with("http://") {
                    return Err(format!(
                        "--webhook-url {u}: only http:// URLs are supported"
                    ));
                }
                c.webhook_url = Some(u);
            }
            "--app-secret" => c.app_secret = Some(value().ok_or("--app-secret needs a value")?),
            "--throughput" => c.throughput = num(&flag, value())?,
            "--pair-burst" => c.pair_burst = num(&flag, value())?,
            "--pair-interval" => c.pair_interval_secs = num(&flag, value())?,
            "--review-delay" => c.review_delay_secs = num(&flag, value())?,
            "--status-interval-ms" => c.status_interval_ms = num(&flag, value())?,
            "--no-read-receipts" => c.read_receipts = false,
            "--async-failures" => c.async_failures = true,
            "--tier-limit" => c.tier_limit = num(&flag, value())?,
            "--tier-window" => c.tier_window_secs = num(&flag, value())?,
            "--quiet" => c.log_requests = false,
            other => return Err(format!("unknown argument {other:?} (see --help)")),
        }
    }
    Ok(Some(cli))
}
