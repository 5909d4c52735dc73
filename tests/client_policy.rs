//! Native tests of the client policy with a scripted transport and a virtual clock: retries,
//! Retry-After, ambiguous sends, token refresh (single-flight, 190), the window, paging, discovery,
//! status, OAuth.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "native/support.rs"]
mod support;

use std::future::Future;
use std::pin::Pin;
use support::Call;
use support::*;
use whatsapp_business::LocalFuture;
use whatsapp_business::{
    AccessToken, ApiRequest, AppSecret, Client, Error, ErrorKind, Method, StaticToken, StatusStore,
    WindowStore,
};

fn send_req() -> ApiRequest {
    ApiRequest {
        method: Method::Post,
        url: "http://graph.test/v25.0/300000000000001/messages".into(),
        headers: vec![("Content-Type".into(), "application/json".into())],
        body: Some(r#"{"messaging_product":"whatsapp","to":"27821234567","type":"text","text":{"body":"hi"}}"#.into()),
    }
}

fn lost() -> Result<whatsapp_business::ApiResponse, Error> {
    Err(Error::Transport {
        message: "connection closed before any answer".into(),
        ambiguous: true,
    })
}

#[test]
fn retryable_codes_back_off_with_full_jitter_then_succeed() {
    let t = FakeTransport::new(|_, i| {
        if i < 3 {
            graph_error(429, 130429, None)
        } else {
            json(200, SENT)
        }
    });
    let clock = Clock::new(1e12);
    let c = client(&t, &clock, &Provider::new("tok", None, false));
    let r = block_on(c.send_message(&send_req(), None)).unwrap();
    assert_eq!(r.message_id, "wamid.TEST1");
    assert_eq!(r.wa_id.as_deref(), Some("27821234567"));
    assert_eq!(t.count(), 4);
    // random 0.5 × min(30 s, 500 ms · 2^n)
    assert_eq!(clock.sleeps(), [250, 500, 1000]);
}

#[test]
fn attempts_are_bounded_and_the_last_error_is_returned() {
    let t = FakeTransport::new(|_, _| graph_error(400, 131056, None));
    let clock = Clock::new(0.0);
    let c = client(&t, &clock, &Provider::new("tok", None, false));
    let e = block_on(c.send_message(&send_req(), None)).unwrap_err();
    assert_eq!(
        (e.kind(), e.code().as_str(), e.retryable()),
        (ErrorKind::RateLimit, "131056", true)
    );
    assert_eq!(t.count(), 4);
    assert_eq!(clock.sleeps().len(), 3);
}

#[test]
fn retry_after_is_honoured_and_a_long_one_stops() {
    let t = FakeTransport::new(|_, i| {
        if i == 0 {
            with_header(
                429,
                r#"{"error":{"code":4,"message":"too many calls"}}"#,
                "Retry-After",
                "3",
            )
        } else {
            json(200, SENT)
        }
    });
    let clock = Clock::new(0.0);
    let c = client(&t, &clock, &Provider::new("tok", None, false));
    block_on(c.send_message(&send_req(), None)).unwrap();
    assert_eq!(clock.sleeps(), [3000]);

    let t = FakeTransport::new(|_, _| {
        with_header(
            429,
            r#"{"error":{"code":80007,"message":"WABA limit"}}"#,
            "retry-after",
            "3600",
        )
    });
    let clock = Clock::new(0.0);
    let c = client(&t, &clock, &Provider::new("tok", None, false));
    let e = block_on(c.send_message(&send_req(), None)).unwrap_err();
    assert_eq!(e.code(), "80007");
    assert_eq!((t.count(), clock.sleeps().len()), (1, 0));
}

#[test]
fn never_retried_codes_fail_at_once() {
    for (code, kind) in [
        (131047, ErrorKind::WindowClosed),
        (132001, ErrorKind::Template),
        (131026, ErrorKind::Graph),
        (100, ErrorKind::Validation),
    ] {
        let t = FakeTransport::new(move |_, _| graph_error(400, code, None));
        let clock = Clock::new(0.0);
        let c = client(&t, &clock, &Provider::new("tok", None, false));
        let e = block_on(c.send_message(&send_req(), None)).unwrap_err();
        assert_eq!(e.kind(), kind, "{code}");
        assert_eq!(t.count(), 1, "{code}");
    }
}

#[test]
fn a_send_whose_fate_is_unknown_is_never_replayed() {
    let t = FakeTransport::new(|_, _| lost());
    let clock = Clock::new(0.0);
    let c = client(&t, &clock, &Provider::new("tok", None, false));
    let e = block_on(c.send_message(&send_req(), None)).unwrap_err();
    assert_eq!(t.count(), 1, "sent exactly once");
    assert!(matches!(
        e,
        Error::Transport {
            ambiguous: true,
            ..
        }
    ));
    assert_eq!(
        (e.kind(), e.code().as_str(), e.retryable()),
        (ErrorKind::Transport, "ambiguous_send", false)
    );
    assert!(e.hint().contains("not retried automatically"));
    assert!(clock.sleeps().is_empty());
}

#[test]
fn reads_are_retried_after_network_failures() {
    let t = FakeTransport::new(|_, i| {
        if i < 2 {
            lost()
        } else {
            json(
                200,
                r#"{"data":[{"id":"300000000000001","quality_rating":"GREEN"}]}"#,
            )
        }
    });
    let clock = Clock::new(0.0);
    let c = client(&t, &clock, &Provider::new("tok", None, false));
    let numbers = block_on(c.get_phone_numbers("200000000000001")).unwrap();
    assert_eq!(numbers[0].quality_rating.as_deref(), Some("GREEN"));
    assert_eq!(t.count(), 3);

    let t = FakeTransport::new(|_, _| lost());
    let c = client(&t, &clock, &Provider::new("tok", None, false));
    let e = block_on(c.get_phone_numbers("200000000000001")).unwrap_err();
    assert!(
        matches!(
            e,
            Error::Transport {
                ambiguous: false,
                ..
            }
        ),
        "a failed read is a plain network error"
    );
    assert_eq!(t.count(), 4);
}

#[test]
fn server_errors_are_retried() {
    let t = FakeTransport::new(|_, i| {
        if i == 0 {
            Ok(whatsapp_business::ApiResponse {
                status: 502,
                headers: vec![],
                body: "<html>bad gateway</html>".into(),
            })
        } else {
            json(200, SENT)
        }
    });
    let clock = Clock::new(0.0);
    let c = client(&t, &clock, &Provider::new("tok", None, false));
    block_on(c.send_message(&send_req(), None)).unwrap();
    assert_eq!(t.count(), 2);
}

#[test]
fn the_token_goes_in_the_authorization_header_only() {
    let t = FakeTransport::new(|_, _| json(200, SENT));
    let clock = Clock::new(0.0);
    let c = Client::new(
        t.clone(),
        clock,
        StaticToken(AccessToken::new("EAAG-secret")),
        config(),
    );
    block_on(c.send_message(&send_req(), None)).unwrap();
    let call = &t.calls()[0];
    assert_eq!(call.auth.as_deref(), Some("Bearer EAAG-secret"));
    assert!(!call.url.contains("EAAG") && !call.body.clone().unwrap_or_default().contains("EAAG"));
    assert!(!format!("{c:?}").contains("EAAG"));
}

#[test]
fn code_190_causes_one_refresh_and_one_retry() {
    let t = FakeTransport::new(|call, _| {
        if call.auth.as_deref() == Some("Bearer old") {
            graph_error(401, 190, Some(463))
        } else {
            json(200, SENT)
        }
    });
    let clock = Clock::new(0.0);
    let p = Provider::new("old", None, true);
    let c = client(&t, &clock, &p);
    block_on(c.send_message(&send_req(), None)).unwrap();
    assert_eq!(p.refreshes.get(), 1);
    let auths: Vec<_> = t
        .calls()
        .into_iter()
        .map(|c| c.auth.unwrap_or_default())
        .collect();
    assert_eq!(auths, ["Bearer old", "Bearer fresh-1"]);

    // A token rejected again after the refresh is an auth error: no second refresh, no loop.
    let t = FakeTransport::new(|_, _| graph_error(401, 190, Some(467)));
    let p = Provider::new("old", None, true);
    let c = client(&t, &clock, &p);
    let e = block_on(c.send_message(&send_req(), None)).unwrap_err();
    assert_eq!((e.kind(), e.code().as_str()), (ErrorKind::Auth, "190"));
    assert_eq!((p.refreshes.get(), t.count()), (1, 2));

    // Without refresh(): the 190 is returned as is.
    let t = FakeTransport::new(|_, _| graph_error(401, 190, Some(463)));
    let p = Provider::new("old", None, false);
    let e = block_on(client(&t, &clock, &p).send_message(&send_req(), None)).unwrap_err();
    assert!(e.hint().contains("expired"));
    assert_eq!(t.count(), 1);
}

#[test]
fn a_token_known_to_be_expired_is_refreshed_before_use() {
    let t = FakeTransport::new(|_, _| json(200, SENT));
    let clock = Clock::new(1_000_000.0);
    let p = Provider::new("old", Some(1_000_000.0 + 10_000.0), true); // inside the 30 s margin
    let c = client(&t, &clock, &p);
    block_on(c.send_message(&send_req(), None)).unwrap();
    assert_eq!((p.gets.get(), p.refreshes.get()), (1, 1));
    assert_eq!(t.calls()[0].auth.as_deref(), Some("Bearer fresh-1"));
    // Cached afterwards.
    block_on(c.send_message(&send_req(), None)).unwrap();
    assert_eq!((p.gets.get(), p.refreshes.get()), (1, 1));
}

#[test]
fn a_hundred_parallel_sends_on_an_expired_token_share_one_refresh() {
    let t = FakeTransport::new(|call, _| {
        if call.auth.as_deref() == Some("Bearer fresh-1") {
            json(200, SENT)
        } else {
            graph_error(401, 190, Some(463))
        }
    });
    let clock = Clock::new(5_000_000.0);
    let p = Provider::new("old", Some(1.0), true);
    let c = client(&t, &clock, &p);
    let req = send_req();
    let sends: Vec<Pin<Box<dyn Future<Output = _>>>> = (0..100)
        .map(|_| Box::pin(c.send_message(&req, None)) as Pin<Box<dyn Future<Output = _>>>)
        .collect();
    let results = block_on(futures::future::join_all(sends));
    assert!(results.iter().all(Result::is_ok));
    assert_eq!(p.refreshes.get(), 1, "exactly one refresh()");
    assert_eq!(p.gets.get(), 1, "exactly one getToken()");
    assert_eq!(t.count(), 100);
}

#[test]
fn a_hundred_parallel_sends_rejected_with_190_share_one_refresh() {
    let clock = Clock::new(0.0);
    let req = send_req();
    let t2 = FakeTransport::new(|call, _| {
        if call.auth.as_deref() == Some("Bearer fresh-1") {
            json(200, SENT)
        } else {
            graph_error(401, 190, Some(463))
        }
    });
    let p2 = Provider::new("old", None, true);
    let c2 = client(&t2, &clock, &p2);
    let sends: Vec<Pin<Box<dyn Future<Output = _>>>> = (0..100)
        .map(|_| Box::pin(c2.send_message(&req, None)) as Pin<Box<dyn Future<Output = _>>>)
        .collect();
    let results = block_on(futures::future::join_all(sends));
    assert!(
        results.iter().all(Result::is_ok),
        "{:?}",
        results.iter().find(|r| r.is_err())
    );
    assert_eq!(p2.refreshes.get(), 1);
    assert_eq!(p2.gets.get(), 1);
    assert_eq!(
        t2.count(),
        200,
        "each send: one rejected attempt, one retry"
    );
}

#[test]
fn a_failed_refresh_is_shared_too() {
    struct Failing(std::rc::Rc<std::cell::Cell<u32>>);
    impl whatsapp_business::TokenProvider for Failing {
        fn get_token(&self) -> LocalFuture<'_, Result<whatsapp_business::Token, Error>> {
            Box::pin(async {
                Ok(whatsapp_business::Token {
                    access_token: AccessToken::new("old"),
                    expires_at_ms: Some(0.0),
                })
            })
        }
        fn can_refresh(&self) -> bool {
            true
        }
        fn refresh(&self) -> LocalFuture<'_, Result<whatsapp_business::Token, Error>> {
            self.0.set(self.0.get() + 1);
            Box::pin(async {
                YieldOnce(false).await;
                Err(Error::Refused {
                    kind: ErrorKind::Auth,
                    code: "token_invalid",
                    message: "refresh failed".into(),
                })
            })
        }
    }
    let count = std::rc::Rc::new(std::cell::Cell::new(0));
    let t = FakeTransport::new(|_, _| json(200, SENT));
    let c = Client::new(t.clone(), Clock::new(1e9), Failing(count.clone()), config());
    let req = send_req();
    let sends: Vec<Pin<Box<dyn Future<Output = _>>>> = (0..20)
        .map(|_| Box::pin(c.send_message(&req, None)) as Pin<Box<dyn Future<Output = _>>>)
        .collect();
    let results = block_on(futures::future::join_all(sends));
    assert!(results.iter().all(|r: &Result<whatsapp_business::SendResult, Error>| matches!(r, Err(e) if e.kind() == ErrorKind::Auth)));
    assert_eq!(count.get(), 1);
    assert_eq!(t.count(), 0);
}

/// Issue 16: a 190 that arrives after a concurrent refresh already failed gets that refresh's
/// error (the same one every other caller gets), not a second 190 from the old token.
#[test]
fn a_failed_refresh_reaches_every_caller_even_late_ones() {
    struct FailingRefresh;
    impl whatsapp_business::TokenProvider for FailingRefresh {
        fn get_token(&self) -> LocalFuture<'_, Result<whatsapp_business::Token, Error>> {
            Box::pin(async { Ok(whatsapp_business::Token::new("old")) })
        }
        fn can_refresh(&self) -> bool {
            true
        }
        fn refresh(&self) -> LocalFuture<'_, Result<whatsapp_business::Token, Error>> {
            Box::pin(async {
                YieldOnce(false).await;
                Err(Error::Refused {
                    kind: ErrorKind::Auth,
                    code: "token_provider_failed",
                    message: "refresh failed".into(),
                })
            })
        }
    }
    let calls = std::rc::Rc::new(std::cell::Cell::new(0usize));
    let counter = calls.clone();
    // Each answer (190) comes after a different number of polls: some before the refresh
    // finishes, some after.
    let transport = move |_: whatsapp_business::Outgoing<'_>| -> LocalFuture<
        'static,
        Result<whatsapp_business::ApiResponse, Error>,
    > {
        let n = counter.get();
        counter.set(n + 1);
        Box::pin(async move {
            for _ in 0..(1 + (n * 3) % 7) {
                YieldOnce(false).await;
            }
            graph_error(401, 190, Some(463))
        })
    };
    let c = Client::new(transport, Clock::new(0.0), FailingRefresh, config());
    let req = send_req();
    let sends: Vec<Pin<Box<dyn Future<Output = _>>>> = (0..100)
        .map(|_| Box::pin(c.send_message(&req, None)) as Pin<Box<dyn Future<Output = _>>>)
        .collect();
    let results = block_on(futures::future::join_all(sends));
    let codes: std::collections::BTreeSet<String> = results
        .iter()
        .map(|r: &Result<whatsapp_business::SendResult, Error>| {
            r.as_ref().map_or_else(|e| e.code(), |_| "ok".into())
        })
        .collect();
    assert_eq!(
        codes.into_iter().collect::<Vec<_>>(),
        ["token_provider_failed"]
    );
    assert_eq!(
        calls.get(),
        100,
        "no send was retried with the rejected token"
    );
}

struct Window(Option<f64>);
impl WindowStore for Window {
    fn last_inbound<'a>(
        &'a self,
        phone_number_id: &'a str,
        wa_id: &'a str,
    ) -> LocalFuture<'a, Result<Option<f64>, Error>> {
        assert_eq!((phone_number_id, wa_id), ("300000000000001", "27821234567"));
        let v = self.0;
        Box::pin(async move { Ok(v) })
    }
}

#[test]
fn the_window_store_refuses_free_form_sends_locally() {
    let now = 1_800_000_000_000.0;
    for (last, open) in [
        (None, false),
        (Some(now - 3_600_000.0), true),
        (Some(now - 25.0 * 3_600_000.0), false),
        // Milliseconds only: a store answering in seconds is not guessed at (that time, read as
        // ms, is in January 1970, so the window is closed).
        (Some(now / 1000.0 - 60.0), false),
    ] {
        let t = FakeTransport::new(|_, _| json(200, SENT));
        let c = client(&t, &Clock::new(now), &Provider::new("tok", None, false))
            .with_window_store(Box::new(Window(last)));
        let r = block_on(c.send_message(&send_req(), Some(("300000000000001", "+27 82 123 4567"))));
        if open {
            assert!(r.is_ok(), "{last:?}");
            assert_eq!(t.count(), 1);
        } else {
            let e = r.unwrap_err();
            assert_eq!(
                (e.kind(), e.code().as_str()),
                (ErrorKind::WindowClosed, "window_closed"),
                "{last:?}"
            );
            assert!(e.hint().contains("send_template"));
            assert_eq!(t.count(), 0, "nothing sent");
        }
    }
}

#[test]
fn template_paging_stops_at_the_limit() {
    let t = FakeTransport::new(|call, _| {
        let page = if call.url.contains("after=p2") {
            2
        } else if call.url.contains("after=p1") {
            1
        } else {
            0
        };
        let data: Vec<String> = (0..25)
            .map(|i| {
                format!(
                    "{{\"id\":\"{0}\",\"name\":\"t{0}\",\"status\":\"APPROVED\"}}",
                    page * 25 + i
                )
            })
            .collect();
        let next = if page < 2 {
            format!(
                ",\"paging\":{{\"cursors\":{{\"after\":\"p{}\"}},\"next\":\"http://elsewhere/x\"}}",
                page + 1
            )
        } else {
            String::new()
        };
        json(200, &format!("{{\"data\":[{}]{next}}}", data.join(",")))
    });
    let clock = Clock::new(0.0);
    let c = client(&t, &clock, &Provider::new("tok", None, false));
    let first = ApiRequest {
        method: Method::Get,
        url: "http://graph.test/v25.0/200000000000001/message_templates?limit=25".into(),
        headers: vec![],
        body: None,
    };
    let all = block_on(c.get_templates_request(&first, 60)).unwrap();
    assert_eq!(all.len(), 60);
    assert_eq!(all[59].name, "t59");
    let urls: Vec<_> = t.calls().into_iter().map(|c| c.url).collect();
    assert_eq!(
        urls[2], "http://graph.test/v25.0/200000000000001/message_templates?limit=25&after=p2",
        "the cursor, never paging.next's host"
    );
    let t2 = FakeTransport::new(|_, _| {
        json(
            200,
            r#"{"data":[{"id":"1","name":"a"},{"id":"2","name":"b"}],"paging":{"cursors":{"after":"x"},"next":"n"}}"#,
        )
    });
    let c2 = client(&t2, &clock, &Provider::new("tok", None, false));
    assert_eq!(
        block_on(c2.get_templates_request(&first, 1)).unwrap().len(),
        1
    );
    assert_eq!(t2.count(), 1);
}

/// Issue 16: a Graph (or proxy) that answers `paging.next` forever — empty pages with a fresh
/// cursor each time, or the same cursor again — ends every paged read with an error after a
/// bounded number of requests.
#[test]
fn endless_paging_ends_for_every_paged_read() {
    let first = ApiRequest {
        method: Method::Get,
        url: "http://graph.test/v25.0/200000000000001/message_templates?limit=25".into(),
        headers: vec![],
        body: None,
    };
    let clock = Clock::new(0.0);
    let fresh = |_: &Call, i: usize| {
        json(
            200,
            &format!(r#"{{"data":[],"paging":{{"cursors":{{"after":"c{i}"}},"next":"n"}}}}"#),
        )
    };
    let same = |_: &Call, _: usize| {
        json(
            200,
            r#"{"data":[],"paging":{"cursors":{"after":"again"},"next":"n"}}"#,
        )
    };
    for (answers, requests, words) in [
        (0, 200, "more than 200 pages"),
        (1, 2, "the same page cursor came back"),
    ] {
        let make = || {
            if answers == 0 {
                FakeTransport::new(fresh)
            } else {
                FakeTransport::new(same)
            }
        };
        let t = make();
        let c = client(&t, &clock, &Provider::new("tok", None, false));
        let e = block_on(c.get_templates_request(&first, 1000)).unwrap_err();
        assert!(e.to_string().contains(words), "{e}");
        assert_eq!((e.kind(), t.count()), (ErrorKind::Graph, requests));

        let t = make();
        let c = client(&t, &clock, &Provider::new("tok", None, false));
        let e = block_on(c.get_phone_numbers("200000000000001")).unwrap_err();
        assert!(e.to_string().contains(words), "{e}");
        assert_eq!(t.count(), requests);

        // Discovery: the business listing itself never ends.
        let t = make();
        let c = client(&t, &clock, &Provider::new("tok", None, false));
        let e = block_on(c.discover_accounts(None)).unwrap_err();
        assert!(e.to_string().contains(words), "{e}");
        assert_eq!(t.count(), requests);
    }
}

#[test]
fn discovery_walks_businesses_wabas_and_numbers_and_reports_what_it_cannot_read() {
    let t = FakeTransport::new(|call, _| {
        let u = call.url.as_str();
        if u.contains("/me/businesses") && !u.contains("after=") {
            json(
                200,
                r#"{"data":[{"id":"100000000000001","name":"BaseCloud Demo","verification_status":"verified"}],"paging":{"cursors":{"after":"b2"},"next":"x"}}"#,
            )
        } else if u.contains("/me/businesses") {
            json(200, r#"{"data":[{"id":"100000000000002","name":"Other"}]}"#)
        } else if u.contains("100000000000001/owned_whatsapp_business_accounts") {
            json(200, r#"{"data":[{"id":"200000000000001","name":"Main"}]}"#)
        } else if u.contains("100000000000001/client_whatsapp_business_accounts") {
            json(
                200,
                r#"{"data":[{"id":"200000000000002","name":"Client ABC"}]}"#,
            )
        } else if u.contains("100000000000002/") {
            json(200, r#"{"data":[]}"#)
        } else if u.contains("200000000000001/phone_numbers") && !u.contains("after=") {
            json(
                200,
                r#"{"data":[{"id":"300000000000001","quality_rating":"GREEN","verified_name":"Support","throughput":{"level":"STANDARD"},"whatsapp_business_manager_messaging_limit":"TIER_2K"}],"paging":{"cursors":{"after":"n2"},"next":"x"}}"#,
            )
        } else if u.contains("200000000000001/phone_numbers") {
            json(
                200,
                r#"{"data":[{"id":"300000000000002","quality_rating":"YELLOW"}]}"#,
            )
        } else if u.contains("200000000000002/phone_numbers") {
            graph_error(403, 200, None)
        } else {
            graph_error(400, 100, Some(33))
        }
    });
    let clock = Clock::new(0.0);
    let c = client(&t, &clock, &Provider::new("tok", None, false));
    let d = block_on(c.discover_accounts(None)).unwrap();
    assert_eq!(d.businesses.len(), 2);
    assert_eq!(d.accounts.len(), 2);
    let main = &d.accounts[0];
    assert_eq!(
        (main.id.as_str(), main.business_id.as_str()),
        ("200000000000001", "100000000000001")
    );
    let ratings: Vec<_> = main
        .phone_numbers
        .iter()
        .map(|p| p.quality_rating.clone().unwrap_or_default())
        .collect();
    assert_eq!(ratings, ["GREEN", "YELLOW"]);
    assert_eq!(
        main.phone_numbers[0].messaging_limit.as_deref(),
        Some("TIER_2K")
    );
    assert_eq!(
        main.phone_numbers[0].throughput.as_deref(),
        Some("STANDARD")
    );
    assert_eq!(d.problems.len(), 1);
    assert_eq!(
        (
            d.problems[0].object_id.as_str(),
            d.problems[0].listing,
            d.problems[0].kind
        ),
        ("200000000000002", "phone_numbers", "permission")
    );
    let v: serde_json::Value =
        serde_json::from_str(&whatsapp_business::ToJson::to_json(&d)).unwrap();
    assert_eq!(v["accounts"][1]["relation"], "client");
    assert_eq!(
        v["accounts"][0]["phoneNumbers"][0]["verifiedName"],
        "Support"
    );

    // One business given: /me/businesses is not called.
    let before = t.count();
    let d = block_on(c.discover_accounts(Some("100000000000001"))).unwrap();
    assert_eq!(d.accounts.len(), 2);
    assert!(t.calls()[before..]
        .iter()
        .all(|c| !c.url.contains("/me/businesses")));
    assert_eq!(
        block_on(c.discover_accounts(Some("not-an-id")))
            .unwrap_err()
            .code(),
        "id_invalid"
    );

    // A token that cannot list businesses at all is an error.
    let t = FakeTransport::new(|_, _| graph_error(401, 190, Some(467)));
    let e =
        block_on(client(&t, &clock, &Provider::new("bad", None, false)).discover_accounts(None))
            .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Auth);
}

struct Statuses;
impl StatusStore for Statuses {
    fn get<'a>(
        &'a self,
        wamid: &'a str,
    ) -> LocalFuture<'a, Result<Option<whatsapp_business::RawJson>, Error>> {
        let v = (wamid == "wamid.KNOWN").then(|| {
            whatsapp_business::RawJson::parse(
                r#"{"status":"delivered","timestamp":"1700000000"}"#.to_owned(),
            )
            .unwrap()
        });
        Box::pin(async move { Ok(v) })
    }
}

#[test]
fn message_status_comes_from_the_store_or_explains_webhooks() {
    let t = FakeTransport::new(|_, _| graph_error(400, 100, Some(33)));
    let clock = Clock::new(0.0);
    let c = client(&t, &clock, &Provider::new("tok", None, false));
    let e = block_on(c.get_message_status("wamid.HBgN==")).unwrap_err();
    assert_eq!(
        (e.kind(), e.code().as_str()),
        (ErrorKind::NotFound, "status_from_webhooks")
    );
    assert!(e.hint().contains("webhook"));
    assert_eq!(t.calls()[0].url, "http://graph.test/v25.0/wamid.HBgN%3D%3D");
    assert_eq!(t.count(), 1, "a 100 is not retried");

    let c = client(&t, &clock, &Provider::new("tok", None, false))
        .with_status_store(Box::new(Statuses));
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(
            block_on(c.get_message_status("wamid.KNOWN"))
                .unwrap()
                .as_str()
        )
        .unwrap()["status"],
        "delivered"
    );
    assert_eq!(
        block_on(c.get_message_status("wamid.OTHER"))
            .unwrap_err()
            .code(),
        "status_from_webhooks"
    );
    assert_eq!(t.count(), 1, "the store is used, Meta is not asked");
}

#[test]
fn oauth_exchanges_and_scope_checks() {
    let t = FakeTransport::new(|call, _| {
        if call.url.contains("oauth/access_token") {
            json(
                200,
                r#"{"access_token":"EAA-new","token_type":"bearer","expires_in":5183944}"#,
            )
        } else {
            json(
                200,
                r#"{"data":{"app_id":"900000000000001","is_valid":true,"expires_at":0,"scopes":["whatsapp_business_management"],"granular_scopes":[{"scope":"whatsapp_business_management","target_ids":["200000000000001"]}]}}"#,
            )
        }
    });
    let clock = Clock::new(1000.0);
    let c = client(&t, &clock, &Provider::new("tok", None, false));
    let secret = AppSecret::new("test-app-secret");
    let tok = block_on(c.exchange_code(
        "900000000000001",
        &secret,
        Some("https://a/cb"),
        "test-code-valid",
    ))
    .unwrap();
    assert_eq!(tok.access_token, "EAA-new");
    assert_eq!(tok.expires_at_ms, Some(1000.0 + 5_183_944_000.0));
    assert_eq!(
        t.calls()[0].auth,
        None,
        "the code exchange carries no bearer token"
    );
    let info = block_on(c.debug_token(None, Some(("900000000000001", &secret)))).unwrap();
    assert_eq!(info.waba_ids, ["200000000000001"]);
    assert!(t.calls()[1]
        .url
        .contains("input_token=tok&access_token=900000000000001%7Ctest-app-secret"));
    let e = block_on(c.require_scopes(&[
        "whatsapp_business_management",
        "whatsapp_business_messaging",
    ]))
    .unwrap_err();
    assert_eq!(
        (e.kind(), e.code().as_str()),
        (ErrorKind::Permission, "missing_scope")
    );
    assert!(e.to_string().contains("whatsapp_business_messaging"));
    assert_eq!(t.calls()[2].auth.as_deref(), Some("Bearer tok"));
}

#[test]
fn upload_is_multipart_and_never_replayed() {
    let t = FakeTransport::new(|_, i| {
        if i == 0 {
            json(200, r#"{"id":"media-1"}"#)
        } else {
            lost()
        }
    });
    let c = client(&t, &Clock::new(0.0), &Provider::new("tok", None, false));
    let file = whatsapp_business::MediaFile {
        bytes: vec![0xff, 0xd8, 0xff],
        mime_type: "image/jpeg".into(),
        filename: "a.jpg".into(),
    };
    assert_eq!(
        block_on(c.upload_media("300000000000001", &file)).unwrap(),
        "media-1"
    );
    let form = t.calls()[0].form.clone().unwrap();
    assert_eq!(form.len(), 3);
    assert!(format!("{form:?}").contains("File(file: a.jpg, image/jpeg, 3 bytes)"));
    let e = block_on(c.upload_media("300000000000001", &file)).unwrap_err();
    assert_eq!(e.code(), "ambiguous_send");
    assert_eq!(t.count(), 2);
}
