// Scripted transport, virtual clock and token providers for native client tests.
#![allow(dead_code)]

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};
use whatsapp_business::LocalFuture;
use whatsapp_business::{
    AccessToken, ApiResponse, Client, ClientConfig, Error, FormPart, Method, Outgoing, Runtime,
    Token, TokenProvider, Transport,
};

/// One request as the transport saw it.
#[derive(Debug, Clone)]
pub struct Call {
    pub method: Method,
    pub url: String,
    pub auth: Option<String>,
    pub body: Option<String>,
    pub form: Option<Vec<FormPart>>,
}

pub type Handler = Box<dyn Fn(&Call, usize) -> Result<ApiResponse, Error>>;

/// A transport answering from a handler (given the call and its 0-based index) and recording calls.
pub struct Fake {
    pub calls: RefCell<Vec<Call>>,
    handler: Handler,
}

#[derive(Clone)]
pub struct FakeTransport(pub Rc<Fake>);

impl FakeTransport {
    pub fn new(handler: impl Fn(&Call, usize) -> Result<ApiResponse, Error> + 'static) -> Self {
        FakeTransport(Rc::new(Fake {
            calls: RefCell::new(Vec::new()),
            handler: Box::new(handler),
        }))
    }
    pub fn calls(&self) -> Vec<Call> {
        self.0.calls.borrow().clone()
    }
    pub fn count(&self) -> usize {
        self.0.calls.borrow().len()
    }
}

impl Transport for FakeTransport {
    fn call<'a>(&'a self, out: Outgoing<'a>) -> LocalFuture<'a, Result<ApiResponse, Error>> {
        let call = Call {
            method: out.request.method,
            url: out.request.url.clone(),
            auth: out
                .request
                .headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("authorization"))
                .map(|(_, v)| v.clone()),
            body: out.request.body.clone(),
            form: out.form.map(|f| f.to_vec()),
        };
        let index = self.0.calls.borrow().len();
        self.0.calls.borrow_mut().push(call.clone());
        let result = (self.0.handler)(&call, index);
        Box::pin(async move {
            // Let other tasks run between send and answer, as a real network would.
            YieldOnce(false).await;
            result
        })
    }
}

pub fn json(status: u16, body: &str) -> Result<ApiResponse, Error> {
    Ok(ApiResponse {
        status,
        headers: vec![("content-type".into(), "application/json".into())],
        body: body.into(),
    })
}

pub fn with_header(status: u16, body: &str, name: &str, value: &str) -> Result<ApiResponse, Error> {
    Ok(ApiResponse {
        status,
        headers: vec![(name.into(), value.into())],
        body: body.into(),
    })
}

pub fn graph_error(status: u16, code: i64, subcode: Option<i64>) -> Result<ApiResponse, Error> {
    let sub = subcode.map_or(String::new(), |s| format!(",\"error_subcode\":{s}"));
    json(
        status,
        &format!("{{\"error\":{{\"message\":\"(#{code}) scripted\",\"type\":\"OAuthException\",\"code\":{code}{sub},\"fbtrace_id\":\"T1\"}}}}"),
    )
}

pub const SENT: &str = r#"{"messaging_product":"whatsapp","contacts":[{"input":"27821234567","wa_id":"27821234567"}],"messages":[{"id":"wamid.TEST1"}]}"#;

/// A future that is pending once (and wakes itself), so concurrent tasks interleave.
pub struct YieldOnce(pub bool);

impl Future for YieldOnce {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            Poll::Ready(())
        } else {
            self.0 = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}

/// A virtual clock: `sleep` advances it at once and records the delay.
#[derive(Clone)]
pub struct Clock {
    pub now: Rc<Cell<f64>>,
    pub sleeps: Rc<RefCell<Vec<u64>>>,
    pub random: f64,
}

impl Clock {
    pub fn new(now: f64) -> Self {
        Clock {
            now: Rc::new(Cell::new(now)),
            sleeps: Rc::new(RefCell::new(Vec::new())),
            random: 0.5,
        }
    }
    pub fn sleeps(&self) -> Vec<u64> {
        self.sleeps.borrow().clone()
    }
}

impl Runtime for Clock {
    fn now_ms(&self) -> f64 {
        self.now.get()
    }
    fn sleep(&self, ms: u64) -> LocalFuture<'static, ()> {
        self.sleeps.borrow_mut().push(ms);
        self.now.set(self.now.get() + ms as f64);
        Box::pin(async {})
    }
    fn random(&self) -> f64 {
        self.random
    }
}

/// A provider whose first token is `first` (expiring at `expires_at`) and whose refresh hands out
/// `fresh-1`, `fresh-2`, ... after yielding once; counts its calls.
#[derive(Clone)]
pub struct Provider {
    pub first: String,
    pub expires_at: Option<f64>,
    pub refreshable: bool,
    pub gets: Rc<Cell<u32>>,
    pub refreshes: Rc<Cell<u32>>,
}

impl Provider {
    pub fn new(first: &str, expires_at: Option<f64>, refreshable: bool) -> Self {
        Provider {
            first: first.into(),
            expires_at,
            refreshable,
            gets: Rc::new(Cell::new(0)),
            refreshes: Rc::new(Cell::new(0)),
        }
    }
}

impl TokenProvider for Provider {
    fn get_token(&self) -> LocalFuture<'_, Result<Token, Error>> {
        self.gets.set(self.gets.get() + 1);
        let t = Token {
            access_token: AccessToken::new(self.first.clone()),
            expires_at_ms: self.expires_at,
        };
        Box::pin(async move {
            YieldOnce(false).await;
            Ok(t)
        })
    }
    fn can_refresh(&self) -> bool {
        self.refreshable
    }
    fn refresh(&self) -> LocalFuture<'_, Result<Token, Error>> {
        self.refreshes.set(self.refreshes.get() + 1);
        let n = self.refreshes.get();
        Box::pin(async move {
            YieldOnce(false).await;
            YieldOnce(false).await;
            Ok(Token::new(format!("fresh-{n}")))
        })
    }
}

pub type TestClient = Client<FakeTransport, Clock, Provider>;

pub fn config() -> ClientConfig {
    ClientConfig {
        base_url: "http://graph.test".into(),
        ..ClientConfig::default()
    }
}

pub fn client(transport: &FakeTransport, clock: &Clock, provider: &Provider) -> TestClient {
    Client::new(transport.clone(), clock.clone(), provider.clone(), config())
}

pub fn block_on<F: Future>(f: F) -> F::Output {
    futures::executor::block_on(f)
}
