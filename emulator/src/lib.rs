//! `wa-emulator`: a local emulator of Meta's Graph API for the WhatsApp Business Cloud API.
//!
//! Start it in-process with [`serve`] (tests) or run the `wa-emulator` binary. Behaviour follows
//! `shared/reference/platform-rules.md`; see `emulator/README.md` for ids, tokens and the
//! `/_emulator/` control API.

// A Graph error is built at most once per failed request; boxing it would buy nothing.
#![allow(clippy::result_large_err)]

pub mod config;
mod control;
pub mod errors;
mod faults;
mod identities;
pub mod json;
mod limits;
mod multipart;
mod quality;
mod redeliver;
mod routes;
mod state;
mod templates;
pub mod util;
mod webhook;

pub use config::{parse_args, Cli, Config, DEFAULT_FIXTURE, USAGE};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use serde_json::Value;
use state::State;
use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use tokio::net::TcpListener;

/// Largest request body accepted (documents may be 100 MB, §3.1).
const MAX_BODY: usize = 110 * 1024 * 1024;

/// Shared server state.
#[derive(Debug)]
pub struct App {
    pub config: Config,
    state: Mutex<State>,
    webhook: Mutex<(Option<String>, String)>,
}

impl App {
    /// Builds the app from a config; fails if the fixture is not valid JSON of the right shape.
    pub fn new(config: Config) -> Result<Arc<App>, String> {
        let mut fixture: state::Fixture =
            serde_json::from_str(&config.fixture).map_err(|e| format!("invalid fixture: {e}"))?;
        // Graph reports each number's throughput level as the cap this emulator enforces
        // (`--throughput`); the control API may still change one number's level afterwards.
        let level = limits::throughput_level(config.throughput);
        for p in &mut fixture.phone_numbers {
            p.insert("throughput".into(), serde_json::json!({ "level": level }));
        }
        let secret = config
            .app_secret
            .clone()
            .unwrap_or_else(|| fixture.app.secret.clone());
        let url = config.webhook_url.clone();
        Ok(Arc::new(App {
            config,
            state: Mutex::new(State::new(fixture)),
            webhook: Mutex::new((url, secret)),
        }))
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A poisoned lock only means a handler panicked mid-update; the data is still usable.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn webhook_target(&self) -> (Option<String>, String) {
        self.webhook
            .lock()
            .map(|g| g.clone())
            .unwrap_or_else(|p| p.into_inner().clone())
    }

    fn set_webhook(&self, url: Option<String>, secret: Option<String>) {
        let mut g = self.webhook.lock().unwrap_or_else(|p| p.into_inner());
        g.0 = url;
        if let Some(s) = secret {
            g.1 = s;
        }
    }
}

/// Runs the emulator on `listener` until the task is dropped.
pub async fn serve(config: Config, listener: TcpListener) -> std::io::Result<()> {
    let app =
        App::new(config).map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
    serve_app(app, listener).await
}

/// Runs an already built [`App`] on `listener`.
pub async fn serve_app(app: Arc<App>, listener: TcpListener) -> std::io::Result<()> {
    let ticker = app.clone();
    tokio::spawn(async move {
        let mut iv = tokio::time::interval(Duration::from_millis(200));
        loop {
            iv.tick().await;
            let mut st = ticker.lock();
            routes::process_reviews(&ticker, &mut st);
        }
    });
    loop {
        let (stream, _) = match listener.accept().await {
            Ok(c) => c,
            Err(e) => {
                eprintln!("wa-emulator: accept failed: {e}");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        tokio::spawn(async move {
            let svc = hyper::service::service_fn(move |req| handle(app.clone(), req));
            let _ = hyper::server::conn::http1::Builder::new()
                .keep_alive(true)
                .serve_connection(TokioIo::new(stream), svc)
                .await;
        });
    }
}

/// Returned by the service to make hyper close the connection without a response.
#[derive(Debug)]
struct DropConnection;

impl std::fmt::Display for DropConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by an injected fault")
    }
}

impl std::error::Error for DropConnection {}

/// A response before CORS and framing.
#[derive(Debug)]
pub(crate) struct Resp {
    pub status: u16,
    pub body: Bytes,
    pub content_type: &'static str,
}

impl Resp {
    pub fn json(status: u16, v: &Value) -> Resp {
        Resp {
            status,
            body: Bytes::from(json::to_meta_vec(v)),
            content_type: "application/json; charset=UTF-8",
        }
    }

    /// Any serializable body (structs keep their field order, like Graph's responses).
    pub fn ser<T: serde::Serialize>(status: u16, v: &T) -> Resp {
        Resp {
            status,
            body: Bytes::from(json::to_meta_vec(v)),
            content_type: "application/json; charset=UTF-8",
        }
    }

    pub fn error(e: &errors::GraphErr) -> Resp {
        Resp {
            status: e.http,
            body: Bytes::from(e.to_body()),
            content_type: "application/json; charset=UTF-8",
        }
    }
}

/// What a handler sees of a request.
#[derive(Debug)]
pub(crate) struct Ctx {
    pub method: String,
    pub raw_path: String,
    pub query: HashMap<String, String>,
    pub host: String,
    pub authorization: Option<String>,
    pub content_type: String,
    pub body: Bytes,
}

fn finish(r: Resp) -> Response<Full<Bytes>> {
    let mut b = Response::builder()
        .status(r.status)
        .header("access-control-allow-origin", "*")
        .header(
            "access-control-allow-headers",
            "authorization, content-type",
        )
        .header("access-control-allow-methods", "GET,POST,DELETE,OPTIONS")
        .header("access-control-max-age", "86400");
    if !r.body.is_empty() {
        b = b.header("content-type", r.content_type);
    }
    b.body(Full::new(r.body))
        .unwrap_or_else(|_| Response::new(Full::new(Bytes::new())))
}

async fn handle(
    app: Arc<App>,
    req: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, DropConnection> {
    let started = Instant::now();
    let method = req.method().as_str().to_owned();
    let raw_path = req.uri().path().to_owned();
    let raw_query = req.uri().query().map(str::to_owned);
    let resp = dispatch(&app, req, &method, &raw_path, raw_query).await;
    let (resp, dropped) = match resp {
        Ok(r) => (r, false),
        Err(r) => (r, true),
    };
    if app.config.log_requests {
        let line = format!(
            "{} {} {} {} {}us{}\n",
            state::unix_now().floor() as i64,
            method,
            raw_path,
            resp.status,
            started.elapsed().as_micros(),
            if dropped { " (dropped)" } else { "" }
        );
        let _ = std::io::stdout().lock().write_all(line.as_bytes());
    }
    if dropped {
        return Err(DropConnection);
    }
    Ok(finish(resp))
}

/// `Err` carries the response that was computed but must be dropped.
async fn dispatch(
    app: &Arc<App>,
    req: Request<Incoming>,
    method: &str,
    raw_path: &str,
    raw_query: Option<String>,
) -> Result<Resp, Resp> {
    if method == "OPTIONS" {
        return Ok(Resp {
            status: 204,
            body: Bytes::new(),
            content_type: "text/plain",
        });
    }
    let is_control = raw_path.starts_with("/_emulator");
    let mut drop_after = false;
    let mut delay = None;
    if !is_control {
        let fault = {
            let mut st = app.lock();
            faults::take(&mut st, method, raw_path)
        };
        match fault.and_then(|f| faults::action(&f)) {
            Some(faults::Action::Respond(r)) => return Ok(r),
            Some(faults::Action::Delay(d)) => delay = Some(d),
            Some(faults::Action::Drop) => drop_after = true,
            None => {}
        }
    }
    let headers = req.headers();
    let header = |n: &str| {
        headers
            .get(n)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let host = header("host").unwrap_or_else(|| "127.0.0.1".into());
    let authorization = header("authorization");
    let content_type = header("content-type").unwrap_or_default();
    let body = match Limited::new(req.into_body(), MAX_BODY).collect().await {
        Ok(b) => b.to_bytes(),
        Err(_) => {
            let e = errors::wa(
                413,
                131053,
                "Media upload error",
                "The request body is larger than the emulator accepts.",
            );
            return Ok(Resp::error(&e));
        }
    };
    let ctx = Ctx {
        method: method.to_owned(),
        raw_path: raw_path.to_owned(),
        query: util::parse_query(raw_query.as_deref()),
        host,
        authorization,
        content_type,
        body,
    };
    let resp = match delay {
        None if is_control && redeliver::is_route(method, raw_path) => {
            redeliver::handle(app, &ctx).await
        }
        None if is_control => control::handle(app, &ctx),
        None => routes::handle(app, &ctx),
        // A delayed request is handled to the end in its own task, even when the client gives
        // up and disconnects meanwhile (hyper then drops this future): it reached the server, as
        // a timed-out send reaches Meta, so its send is recorded and its webhooks fire.
        Some(d) => {
            let app = app.clone();
            let work = tokio::spawn(async move {
                tokio::time::sleep(d).await;
                routes::handle(&app, &ctx)
            });
            work.await
                .unwrap_or_else(|_| Resp::error(&errors::for_code(1)))
        }
    };
    if drop_after {
        Err(resp)
    } else {
        Ok(resp)
    }
}
