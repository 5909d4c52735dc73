//! Access tokens for the client: a static token or a provider that can refresh, behind a
//! single-flight cache — any number of concurrent calls that find the token missing, expired or
//! rejected (Graph 190) share one provider call.

use crate::domain::error::{Error, ErrorKind};
use crate::domain::secret::AccessToken;
use crate::transport::LocalFuture;
use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

/// A token refreshed this long before its known expiry.
pub const EXPIRY_MARGIN_MS: f64 = 30_000.0;

/// A token and, when known, when it expires.
#[derive(Debug, Clone)]
pub struct Token {
    /// The token.
    pub access_token: AccessToken,
    /// Unix time in milliseconds of the expiry, when known.
    pub expires_at_ms: Option<f64>,
}

impl Token {
    /// A token with no known expiry.
    pub fn new(token: impl Into<String>) -> Self {
        Token {
            access_token: AccessToken::new(token),
            expires_at_ms: None,
        }
    }

    /// Whether it is known to be expired (or about to) at `now_ms`.
    pub fn is_expired(&self, now_ms: f64) -> bool {
        self.expires_at_ms
            .is_some_and(|at| now_ms + EXPIRY_MARGIN_MS >= at)
    }
}

/// Where tokens come from (JS: `TokenProvider { getToken(), refresh?() }`).
pub trait TokenProvider {
    /// The current token.
    fn get_token(&self) -> LocalFuture<'_, Result<Token, Error>>;
    /// Whether [`TokenProvider::refresh`] is available.
    fn can_refresh(&self) -> bool;
    /// A fresh token (called when the current one is expired or was rejected).
    fn refresh(&self) -> LocalFuture<'_, Result<Token, Error>>;
}

/// A fixed token that cannot be refreshed (JS: `accessToken`).
#[derive(Debug, Clone)]
pub struct StaticToken(pub AccessToken);

impl TokenProvider for StaticToken {
    fn get_token(&self) -> LocalFuture<'_, Result<Token, Error>> {
        let t = Token {
            access_token: self.0.clone(),
            expires_at_ms: None,
        };
        Box::pin(async move { Ok(t) })
    }
    fn can_refresh(&self) -> bool {
        false
    }
    fn refresh(&self) -> LocalFuture<'_, Result<Token, Error>> {
        Box::pin(async { Err(no_refresh()) })
    }
}

pub(crate) fn no_refresh() -> Error {
    Error::Refused {
        kind: ErrorKind::Auth,
        code: "token_expired",
        message: "The access token is expired and the token provider has no refresh().".to_owned(),
    }
}

/// The token to use for one attempt, and which generation of the cache it came from (to tell a
/// rejected token from one already replaced by another call).
#[derive(Debug, Clone)]
pub(crate) struct Lease {
    pub token: AccessToken,
    pub generation: u64,
}

#[derive(Default)]
struct Cache {
    token: Option<Token>,
    /// Bumped every time a provider call finishes.
    generation: u64,
    busy: bool,
    /// The error of the provider call that produced `generation`, if it failed.
    error: Option<(u64, Error)>,
    waiters: Vec<Waker>,
}

enum Step {
    Ready(Lease),
    Wait(u64),
    Lead(bool),
}

/// The single-flight token cache in front of a provider.
pub(crate) struct TokenSource<P> {
    provider: P,
    cache: RefCell<Cache>,
}

impl<P: TokenProvider> TokenSource<P> {
    pub fn new(provider: P) -> Self {
        TokenSource {
            provider,
            cache: RefCell::new(Cache::default()),
        }
    }

    /// The token to use now: cached, or fetched / refreshed (once for all concurrent callers)
    /// when missing or known to be expired.
    pub async fn lease(&self, now_ms: f64) -> Result<Lease, Error> {
        let step = {
            let c = self.cache.borrow();
            match &c.token {
                _ if c.busy => Step::Wait(c.generation),
                Some(t) if !t.is_expired(now_ms) || !self.provider.can_refresh() => {
                    Step::Ready(Lease {
                        token: t.access_token.clone(),
                        generation: c.generation,
                    })
                }
                Some(_) => Step::Lead(true),
                None => Step::Lead(false),
            }
        };
        match step {
            Step::Ready(l) => Ok(l),
            Step::Wait(g) => self.wait_for(g).await,
            Step::Lead(refresh) => self.lead(refresh, now_ms).await,
        }
    }

    /// After the Graph API rejected the token of `rejected` (190): a fresh token, from a refresh
    /// made by this call or by a concurrent one. `None` when the provider cannot refresh.
    pub async fn replace(&self, rejected: &Lease, now_ms: f64) -> Option<Result<Lease, Error>> {
        if !self.provider.can_refresh() {
            return None;
        }
        let step = {
            let c = self.cache.borrow();
            if c.busy {
                Step::Wait(c.generation)
            } else if c.generation > rejected.generation {
                // Another call already replaced the rejected token: use its outcome, the same
                // error included when its refresh failed.
                if let Some((g, e)) = &c.error {
                    if *g == c.generation {
                        return Some(Err(e.clone()));
                    }
                }
                match &c.token {
                    Some(t) => Step::Ready(Lease {
                        token: t.access_token.clone(),
                        generation: c.generation,
                    }),
                    None => Step::Lead(false),
                }
            } else {
                Step::Lead(true)
            }
        };
        Some(match step {
            Step::Ready(l) => Ok(l),
            Step::Wait(g) => self.wait_for(g).await,
            Step::Lead(refresh) => self.lead(refresh, now_ms).await,
        })
    }

    async fn wait_for(&self, generation: u64) -> Result<Lease, Error> {
        WaitChange {
            cache: &self.cache,
            generation,
        }
        .await;
        let c = self.cache.borrow();
        match (&c.error, &c.token) {
            (Some((g, e)), _) if *g == c.generation => Err(e.clone()),
            (_, Some(t)) => Ok(Lease {
                token: t.access_token.clone(),
                generation: c.generation,
            }),
            _ => Err(no_refresh()),
        }
    }

    async fn lead(&self, refresh: bool, now_ms: f64) -> Result<Lease, Error> {
        self.cache.borrow_mut().busy = true;
        let mut guard = LeadGuard {
            cache: &self.cache,
            finished: false,
        };
        let result = if refresh {
            self.provider.refresh().await
        } else {
            match self.provider.get_token().await {
                Ok(t) if t.is_expired(now_ms) && self.provider.can_refresh() => {
                    self.provider.refresh().await
                }
                other => other,
            }
        };
        guard.finished = true;
        let mut c = self.cache.borrow_mut();
        c.busy = false;
        c.generation += 1;
        let generation = c.generation;
        let out = match result {
            Ok(t) => {
                let lease = Lease {
                    token: t.access_token.clone(),
                    generation,
                };
                c.token = Some(t);
                c.error = None;
                Ok(lease)
            }
            Err(e) => {
                c.error = Some((generation, e.clone()));
                Err(e)
            }
        };
        for w in c.waiters.drain(..) {
            w.wake();
        }
        out
    }
}

/// Resets the cache if a leading call is dropped before its provider call finished, so waiters
/// are not stranded.
struct LeadGuard<'a> {
    cache: &'a RefCell<Cache>,
    finished: bool,
}

impl Drop for LeadGuard<'_> {
    fn drop(&mut self) {
        if self.finished {
            return;
        }
        if let Ok(mut c) = self.cache.try_borrow_mut() {
            c.busy = false;
            c.generation += 1;
            let g = c.generation;
            c.error = Some((
                g,
                Error::Transport {
                    message: "the token request was cancelled".to_owned(),
                    ambiguous: false,
                },
            ));
            for w in c.waiters.drain(..) {
                w.wake();
            }
        }
    }
}

struct WaitChange<'a> {
    cache: &'a RefCell<Cache>,
    generation: u64,
}

impl Future for WaitChange<'_> {
    type Output = ();
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut c = self.cache.borrow_mut();
        if c.generation != self.generation || !c.busy {
            Poll::Ready(())
        } else {
            c.waiters.push(cx.waker().clone());
            Poll::Pending
        }
    }
}
