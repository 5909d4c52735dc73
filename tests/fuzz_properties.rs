//! Native property tests of issue 16's hardening (the JS side is scripts/fuzz.mjs): any `baseUrl`
//! either is refused or yields request URLs with no query, fragment, user info or space; any
//! paging script a Graph can answer ends within `MAX_PAGES` requests; and however the answers
//! to concurrent calls interleave with a failing refresh, every caller gets the same error from
//! one refresh.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "native/support.rs"]
mod support;

use proptest::prelude::*;
use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use support::*;
use whatsapp_business::MAX_PAGES;
use whatsapp_business::{check_base_url, endpoint};
use whatsapp_business::{ApiRequest, ApiResponse, ApiVersion, Client, Error, Method, Token};
use whatsapp_business::{LocalFuture, Outgoing};

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn any_base_url_is_refused_or_safe(s in "(https?://)?[a-zA-Z0-9.:\\[\\]@/?#% \\-_~]{0,40}", any in ".{0,40}") {
        for url in [s.as_str(), any.as_str()] {
            if let Ok(base) = check_base_url(url) {
                let full = endpoint(base, &ApiVersion::default(), "123/messages");
                prop_assert!(full.starts_with("https://") || full.starts_with("http://"));
                let rest = full.split_once("://").unwrap().1;
                // No query, fragment, space or escape anywhere; no user info (an `@` before the
                // path). An `@` inside the path is an ordinary path character (RFC 3986 pchar).
                prop_assert!(!rest.contains(['?', '#', ' ', '%']), "{full}");
                let authority = rest.split('/').next().unwrap_or("");
                prop_assert!(!authority.contains('@'), "{full}");
                prop_assert!(!rest.chars().any(char::is_control), "{full}");
                prop_assert!(!rest.starts_with('/') && !rest.is_empty());
            }
        }
    }

    /// A Graph answering a scripted sequence of pages (cursors drawn from a small set, so they
    /// repeat; the script repeats forever): every paged read ends within MAX_PAGES requests.
    #[test]
    fn every_paged_read_ends(script in prop::collection::vec((0usize..3, prop::option::of(0u8..40)), 1..8), limit in 1usize..1000) {
        let script = Rc::new(script);
        let s = script.clone();
        let t = FakeTransport::new(move |_, i| {
            let (items, cursor) = s[i % s.len()];
            let data: Vec<String> = (0..items).map(|k| format!(r#"{{"id":"{i}{k}","name":"t"}}"#)).collect();
            let paging = cursor.map_or(String::new(), |c| format!(r#","paging":{{"cursors":{{"after":"c{c}"}},"next":"n"}}"#));
            json(200, &format!(r#"{{"data":[{}]{paging}}}"#, data.join(",")))
        });
        let clock = Clock::new(0.0);
        let c = client(&t, &clock, &Provider::new("tok", None, false));
        let first = ApiRequest {
            method: Method::Get,
            url: "http://graph.test/v25.0/200000000000001/message_templates".into(),
            headers: vec![],
            body: None,
        };
        let _ = block_on(c.get_templates_request(&first, limit));
        prop_assert!(t.count() <= MAX_PAGES, "{} requests", t.count());
        let before = t.count();
        let _ = block_on(c.get_phone_numbers("200000000000001"));
        prop_assert!(t.count() - before <= MAX_PAGES);
    }

    /// Concurrent sends whose 190 answers arrive at arbitrary times around one failing refresh:
    /// exactly one refresh, and every caller gets its error.
    #[test]
    fn a_failed_refresh_reaches_every_caller(delays in prop::collection::vec(0u8..6, 1..40)) {
        let refreshes = Rc::new(Cell::new(0u32));
        let c = Client::new(
            delayed_190(Rc::new(delays.clone())),
            Clock::new(0.0),
            FailingRefresh(refreshes.clone()),
            config(),
        );
        let req = ApiRequest {
            method: Method::Post,
            url: "http://graph.test/v25.0/300000000000001/messages".into(),
            headers: vec![],
            body: Some("{}".into()),
        };
        let sends: Vec<Pin<Box<dyn Future<Output = _>>>> = delays
            .iter()
            .map(|_| Box::pin(c.send_message(&req, None)) as Pin<Box<dyn Future<Output = _>>>)
            .collect();
        let results: Vec<Result<whatsapp_business::SendResult, Error>> =
            block_on(futures::future::join_all(sends));
        prop_assert_eq!(refreshes.get(), 1);
        for r in &results {
            prop_assert_eq!(r.as_ref().map(|_| ()).unwrap_err().code(), "token_provider_failed");
        }
    }
}

struct FailingRefresh(Rc<Cell<u32>>);

impl whatsapp_business::TokenProvider for FailingRefresh {
    fn get_token(&self) -> LocalFuture<'_, Result<Token, Error>> {
        Box::pin(async { Ok(Token::new("old")) })
    }
    fn can_refresh(&self) -> bool {
        true
    }
    fn refresh(&self) -> LocalFuture<'_, Result<Token, Error>> {
        self.0.set(self.0.get() + 1);
        Box::pin(async {
            YieldOnce(false).await;
            Err(Error::Refused {
                kind: whatsapp_business::ErrorKind::Auth,
                code: "token_provider_failed",
                message: "refresh failed".into(),
            })
        })
    }
}

/// A transport answering 190 to the i-th call after `1 + delays[i]` polls.
fn delayed_190(
    delays: Rc<Vec<u8>>,
) -> impl Fn(Outgoing<'_>) -> LocalFuture<'static, Result<ApiResponse, Error>> {
    let calls = Rc::new(Cell::new(0usize));
    move |_| {
        let i = calls.get();
        calls.set(i + 1);
        let polls = 1 + delays.get(i % delays.len()).copied().unwrap_or(0);
        Box::pin(async move {
            for _ in 0..polls {
                YieldOnce(false).await;
            }
            graph_error(401, 190, Some(463))
        })
    }
}

/// The property above only looks at URLs that are accepted: these must be.
#[test]
fn ordinary_base_urls_are_accepted() {
    for url in [
        "https://graph.facebook.com",
        "http://127.0.0.1:8089/",
        "https://example.test/graph/x@y",
    ] {
        assert!(check_base_url(url).is_ok(), "{url}");
    }
    assert!(check_base_url("https://user@graph.facebook.com").is_err());
}
