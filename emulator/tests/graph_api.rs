//! Graph endpoints and their errors, over real HTTP.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
use common::*;
use serde_json::{json, Value};

#[tokio::test]
async fn cors_preflight_and_headers_on_every_route() {
    let emu = start(quiet()).await;
    for path in [
        "/v25.0/300000000000001/messages",
        "/_emulator/health",
        "/anything",
    ] {
        let r = emu.req("OPTIONS", path, None, None).await;
        assert_eq!(r.status, 204, "{path}");
        assert_eq!(r.headers["access-control-allow-origin"], "*");
        assert_eq!(
            r.headers["access-control-allow-headers"],
            "authorization, content-type"
        );
        assert_eq!(
            r.headers["access-control-allow-methods"],
            "GET,POST,DELETE,OPTIONS"
        );
    }
    let err = emu.get("/v25.0/300000000000001", None).await;
    assert_eq!(err.headers["access-control-allow-origin"], "*");
    let ok = emu.get("/_emulator/health", None).await;
    assert_eq!(ok.json(), json!({"ok": true}));
    assert_eq!(ok.headers["access-control-allow-origin"], "*");
}

#[tokio::test]
async fn token_errors() {
    let emu = start(quiet()).await;
    let r = emu.get("/v25.0/300000000000001", None).await;
    assert_eq!((r.status, r.code()), (400, 104));
    assert_eq!(r.json()["error"]["type"], "OAuthException");
    assert!(r.json()["error"]["fbtrace_id"].is_string());
    let r = emu.get("/v25.0/me/businesses", None).await;
    assert_eq!(r.code(), 2500);
    assert_eq!(
        r.json()["error"]["message"],
        "An active access token must be used to query information about the current user."
    );
    let r = emu.get("/v25.0/300000000000001", Some("nope")).await;
    assert_eq!((r.status, r.code(), r.subcode()), (401, 190, 467));
    let r = emu
        .get("/v25.0/300000000000001", Some("test-token-expired"))
        .await;
    assert_eq!((r.status, r.code(), r.subcode()), (401, 190, 463));
    // access_token query parameter works like a Bearer header.
    let r = emu
        .get("/v25.0/300000000000001?access_token=test-token-valid", None)
        .await;
    assert_eq!(r.status, 200);
}

#[tokio::test]
async fn permission_errors() {
    let emu = start(quiet()).await;
    let r = emu
        .send(
            PN1,
            "test-token-no-messaging",
            text_msg("27821234567", "hi"),
        )
        .await;
    assert_eq!((r.status, r.code()), (403, 10));
    assert!(r.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("whatsapp_business_messaging"));
    // Management still works for that token.
    assert_eq!(
        emu.get(
            "/v25.0/200000000000001/message_templates",
            Some("test-token-no-messaging")
        )
        .await
        .status,
        200
    );
    // Owned-only token: fine on WABA 1, permission error 200 on WABA 2 and its number.
    assert_eq!(
        emu.send(PN1, "test-token-owned-only", text_msg("27821234567", "hi"))
            .await
            .status,
        200
    );
    let r = emu
        .send(PN3, "test-token-owned-only", text_msg("27821234567", "hi"))
        .await;
    assert_eq!((r.status, r.code()), (403, 200));
    assert_eq!(
        r.json()["error"]["error_data"]["details"]
            .as_str()
            .map(|d| d.contains(WABA2)),
        Some(true)
    );
    assert_eq!(
        emu.get(
            "/v25.0/200000000000002/message_templates",
            Some("test-token-owned-only")
        )
        .await
        .code(),
        200
    );
    assert_eq!(
        emu.get("/v25.0/300000000000003", Some("test-token-owned-only"))
            .await
            .code(),
        200
    );
}

#[tokio::test]
async fn unknown_objects_and_wamid_get() {
    let emu = start(quiet()).await;
    let r = emu.get("/v25.0/123456789", Some(VALID)).await;
    assert_eq!((r.status, r.code(), r.subcode()), (400, 100, 33));
    assert_eq!(r.json()["error"]["type"], "GraphMethodException");
    let sent = emu
        .send(PN1, VALID, text_msg("27821234567", "hi"))
        .await
        .json();
    let wamid = sent["messages"][0]["id"].as_str().unwrap().to_owned();
    let r = emu.get(&format!("/v25.0/{wamid}"), Some(VALID)).await;
    assert_eq!((r.status, r.code(), r.subcode()), (400, 100, 33));
    let msg = r.json()["error"]["message"].as_str().unwrap().to_owned();
    assert!(
        msg.starts_with(&format!(
            "Unsupported get request. Object with ID '{wamid}' does not exist"
        )),
        "{msg}"
    );
    // Unknown edge on a known node.
    assert_eq!(
        emu.get("/v25.0/200000000000001/nonsense", Some(VALID))
            .await
            .code(),
        2500
    );
}

#[tokio::test]
async fn phone_numbers_and_fields() {
    let emu = start(quiet()).await;
    let r = emu
        .get("/v25.0/200000000000001/phone_numbers", Some(VALID))
        .await
        .json();
    let data = r["data"].as_array().unwrap();
    assert_eq!(data.len(), 2);
    assert_eq!(data[0]["quality_rating"], "GREEN");
    assert_eq!(data[1]["quality_rating"], "YELLOW");
    assert_eq!(data[0]["display_phone_number"], "+1 555-010-0001");
    assert!(data[0].get("waba_id").is_none());
    let r = emu
        .get(
            "/v25.0/200000000000002/phone_numbers?fields=quality_rating,verified_name",
            Some(VALID),
        )
        .await
        .json();
    assert_eq!(
        r["data"][0],
        json!({"quality_rating": "RED", "verified_name": "Client ABC", "id": PN3})
    );
    let fields = "display_phone_number,verified_name,quality_rating,throughput,messaging_limit_tier,whatsapp_business_manager_messaging_limit";
    let r = emu
        .get(&format!("/v25.0/{PN1}?fields={fields}"), Some(VALID))
        .await
        .json();
    assert_eq!(r["verified_name"], "BaseCloud Support");
    assert_eq!(r["throughput"]["level"], "STANDARD");
    assert_eq!(r["messaging_limit_tier"], "TIER_2K");
    assert_eq!(r["whatsapp_business_manager_messaging_limit"], "TIER_2K");
    let r = emu
        .get(&format!("/v25.0/{PN1}?fields=bogus"), Some(VALID))
        .await;
    assert_eq!(r.code(), 100);
    let w = emu.get("/v25.0/200000000000001", Some(VALID)).await.json();
    assert_eq!(w["name"], "BaseCloud Main");
}

#[tokio::test]
async fn waba_discovery() {
    let emu = start(quiet()).await;
    let r = emu.get("/v25.0/me/businesses", Some(VALID)).await.json();
    assert_eq!(r["data"][0], json!({"id": BIZ, "name": "BaseCloud Demo"}));
    let owned = emu
        .get(
            &format!("/v25.0/{BIZ}/owned_whatsapp_business_accounts"),
            Some(VALID),
        )
        .await
        .json();
    assert_eq!(
        owned["data"],
        json!([{"id": WABA1, "name": "BaseCloud Main"}])
    );
    let client = emu
        .get(
            &format!("/v25.0/{BIZ}/client_whatsapp_business_accounts?fields=id,name,currency"),
            Some(VALID),
        )
        .await
        .json();
    assert_eq!(
        client["data"],
        json!([{"id": WABA2, "name": "Client ABC", "currency": "ZAR"}])
    );
    let client = emu
        .get(
            &format!("/v25.0/{BIZ}/client_whatsapp_business_accounts"),
            Some("test-token-owned-only"),
        )
        .await
        .json();
    assert_eq!(client["data"], json!([]));
    // No business_management scope.
    assert_eq!(
        emu.get("/v25.0/me/businesses", Some("test-token-no-messaging"))
            .await
            .code(),
        10
    );
}

#[tokio::test]
async fn template_listing_paging_and_filters() {
    let emu = start(quiet()).await;
    let mut names = vec![];
    let mut path =
        "/v25.0/200000000000001/message_templates?limit=10&fields=name,status,language".to_owned();
    let mut pages = 0;
    loop {
        let r = emu.get(&path, Some(VALID)).await.json();
        pages += 1;
        for t in r["data"].as_array().unwrap() {
            names.push(format!(
                "{}:{}",
                t["name"].as_str().unwrap(),
                t["language"].as_str().unwrap()
            ));
            assert!(t.get("components").is_none());
        }
        assert!(r["paging"]["cursors"]["before"].is_string());
        assert!(r["paging"]["cursors"]["after"].is_string());
        match r["paging"]["next"].as_str() {
            Some(next) => {
                assert!(next.starts_with(&emu.base));
                path = next.trim_start_matches(&emu.base).to_owned();
            }
            None => break,
        }
        assert!(pages < 20);
    }
    assert!(names.len() >= 40, "{}", names.len());
    assert_eq!(pages, names.len().div_ceil(10));
    let mut dedup = names.clone();
    dedup.sort();
    dedup.dedup();
    assert_eq!(dedup.len(), names.len());
    // before cursor pages backwards.
    let p1 = emu
        .get(
            "/v25.0/200000000000001/message_templates?limit=5",
            Some(VALID),
        )
        .await
        .json();
    let after = p1["paging"]["cursors"]["after"]
        .as_str()
        .unwrap()
        .to_owned();
    let p2 = emu
        .get(
            &format!(
                "/v25.0/200000000000001/message_templates?limit=5&after={}",
                urlenc(&after)
            ),
            Some(VALID),
        )
        .await
        .json();
    let before = p2["paging"]["cursors"]["before"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(p2["paging"]["previous"].is_string());
    let back = emu
        .get(
            &format!(
                "/v25.0/200000000000001/message_templates?limit=5&before={}",
                urlenc(&before)
            ),
            Some(VALID),
        )
        .await
        .json();
    assert_eq!(back["data"], p1["data"]);
    // Filters and default fields.
    let r = emu.get("/v25.0/200000000000001/message_templates?status=REJECTED&fields=name,status,rejected_reason", Some(VALID)).await.json();
    assert_eq!(r["data"][0]["rejected_reason"], "PROMOTIONAL");
    let r = emu
        .get(
            "/v25.0/200000000000001/message_templates?name=order_confirmation",
            Some(VALID),
        )
        .await
        .json();
    let langs: Vec<&str> = r["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["language"].as_str().unwrap())
        .collect();
    assert!(langs.contains(&"en_US") && langs.contains(&"es"));
    let oc = &r["data"][0];
    for k in [
        "name",
        "components",
        "language",
        "status",
        "category",
        "id",
        "parameter_format",
    ] {
        assert!(oc.get(k).is_some(), "default field {k}");
    }
    assert_eq!(oc["components"][0]["text"], "Your order is confirmed! 🎉");
    // The raw body escapes non-ASCII like Graph.
    let raw = emu
        .get(
            "/v25.0/200000000000001/message_templates?name=order_confirmation&language=en_US",
            Some(VALID),
        )
        .await;
    assert!(raw.body.is_ascii());
    assert!(String::from_utf8_lossy(&raw.body).contains("\\ud83c\\udf89"));
    for st in ["PENDING", "PAUSED", "DISABLED"] {
        let r = emu
            .get(
                &format!("/v25.0/200000000000001/message_templates?status={st}"),
                Some(VALID),
            )
            .await
            .json();
        assert!(!r["data"].as_array().unwrap().is_empty(), "{st}");
    }
}

fn urlenc(s: &str) -> String {
    s.replace('+', "%2B")
        .replace('/', "%2F")
        .replace('=', "%3D")
}

#[tokio::test]
async fn send_text_and_template() {
    let emu = start(quiet()).await;
    let r = emu
        .send(PN1, VALID, text_msg("+27 82 123 4567", "Hello"))
        .await;
    assert_eq!(r.status, 200);
    let j = r.json();
    assert_eq!(j["messaging_product"], "whatsapp");
    assert_eq!(
        j["contacts"],
        json!([{"input": "+27 82 123 4567", "wa_id": "27821234567"}])
    );
    let id = j["messages"][0]["id"].as_str().unwrap();
    assert!(id.starts_with("wamid."));
    assert!(j["messages"][0].get("message_status").is_none());
    let t = emu
        .send(PN1, VALID, order_confirmation("27820000001", "en_US"))
        .await
        .json();
    assert_eq!(t["messages"][0]["message_status"], "accepted");
    assert_ne!(t["messages"][0]["id"], j["messages"][0]["id"]);
    assert_eq!(
        emu.send(PN1, VALID, order_confirmation("27820000001", "es"))
            .await
            .status,
        200
    );
    // Other message kinds inside the window.
    for body in [
        json!({"messaging_product":"whatsapp","to":"27821234567","type":"image","image":{"link":"https://example.com/a.png","caption":"c"}}),
        json!({"messaging_product":"whatsapp","to":"27821234567","type":"document","document":{"link":"https://example.com/a.pdf","filename":"a.pdf"}}),
        json!({"messaging_product":"whatsapp","to":"27821234567","type":"audio","audio":{"link":"https://example.com/a.ogg"}}),
        json!({"messaging_product":"whatsapp","to":"27821234567","type":"video","video":{"link":"https://example.com/a.mp4"}}),
        json!({"messaging_product":"whatsapp","to":"27821234567","type":"sticker","sticker":{"link":"https://example.com/a.webp"}}),
    ] {
        assert_eq!(
            emu.send(PN1, VALID, body.clone()).await.status,
            200,
            "{body}"
        );
    }
    let sent = emu.control("GET", "sent", None).await;
    let msgs = sent["messages"].as_array().unwrap();
    assert_eq!(msgs.len(), 8);
    assert_eq!(msgs[0]["to"], "27821234567");
    assert_eq!(msgs[0]["type"], "text");
    assert_eq!(msgs[0]["phone_number_id"], PN1);
    assert_eq!(msgs[0]["body"]["text"]["body"], "Hello");
    assert!(msgs[0]["timestamp"].is_i64());
}

#[tokio::test]
async fn send_errors() {
    let emu = start(quiet()).await;
    let r = emu.send(PN1, VALID, text_msg("27820000001", "hi")).await;
    assert_eq!((r.status, r.code()), (400, 131047));
    assert_eq!(
        r.json()["error"]["error_data"]["messaging_product"],
        "whatsapp"
    );
    let r = emu.send(PN1, VALID, text_msg("15550009999", "hi")).await;
    assert_eq!(r.code(), 131026);
    let r = emu
        .send(PN1, VALID, order_confirmation("15550009999", "en_US"))
        .await;
    assert_eq!(r.code(), 131026);
    // Envelope/parameter errors.
    assert_eq!(
        emu.send(PN1, VALID, json!({"to":"27821234567","text":{"body":"x"}}))
            .await
            .code(),
        100
    );
    assert_eq!(
        emu.send(
            PN1,
            VALID,
            json!({"messaging_product":"whatsapp","text":{"body":"x"}})
        )
        .await
        .code(),
        100
    );
    assert_eq!(
        emu.send(
            PN1,
            VALID,
            json!({"messaging_product":"whatsapp","to":"27821234567","type":"carrier_pigeon"})
        )
        .await
        .code(),
        100
    );
    assert_eq!(
        emu.send(
            PN1,
            VALID,
            json!({"messaging_product":"whatsapp","to":"27821234567","type":"text"})
        )
        .await
        .code(),
        131008
    );
    assert_eq!(
        emu.send(PN1, VALID, text_msg("not-a-number", "x"))
            .await
            .code(),
        131009
    );
    let r = emu
        .req("POST", &format!("/v25.0/{PN1}/messages"), Some(VALID), None)
        .await;
    assert_eq!(r.code(), 100);
    let r = common::try_request(
        &emu.addr,
        "POST",
        &format!("/v25.0/{PN1}/messages"),
        &[
            ("authorization", "Bearer test-token-valid"),
            ("content-type", "application/json"),
        ],
        b"{not json".to_vec(),
    )
    .await
    .unwrap();
    assert_eq!(r.code(), 100);
    // Sending to the business number itself.
    assert_eq!(
        emu.send(PN1, VALID, text_msg("+1 555-010-0001", "me"))
            .await
            .code(),
        131021
    );
    // Unknown phone number id.
    let r = emu
        .send("399999999999999", VALID, text_msg("27821234567", "hi"))
        .await;
    assert_eq!((r.code(), r.subcode()), (100, 33));
    assert!(emu.control("GET", "sent", None).await["messages"]
        .as_array()
        .unwrap()
        .is_empty());
}

fn tpl(name: &str, lang: &str, comps: Value) -> Value {
    json!({"messaging_product":"whatsapp","to":"27820000001","type":"template",
           "template":{"name":name,"language":{"code":lang},"components":comps}})
}

#[tokio::test]
async fn template_send_errors() {
    let emu = start(quiet()).await;
    let body4 = json!([{"type":"body","parameters":[{"type":"text","text":"a"},{"type":"text","text":"b"},{"type":"text","text":"c"},{"type":"text","text":"d"}]}]);
    let r = emu
        .send(PN1, VALID, tpl("no_such_template", "en_US", json!([])))
        .await;
    assert_eq!((r.status, r.code()), (404, 132001));
    assert_eq!(
        r.json()["error"]["error_data"]["details"],
        "template name (no_such_template) does not exist in en_US"
    );
    assert_eq!(
        emu.send(PN1, VALID, tpl("order_confirmation", "fr", body4.clone()))
            .await
            .code(),
        132001
    );
    assert_eq!(
        emu.send(
            PN1,
            VALID,
            tpl("order_confirmation", "pt_BR", body4.clone())
        )
        .await
        .code(),
        132001,
        "pending translation"
    );
    assert_eq!(
        emu.send(PN1, VALID, tpl("welcome_offer", "en_US", json!([])))
            .await
            .code(),
        132001,
        "pending"
    );
    assert_eq!(
        emu.send(PN1, VALID, tpl("account_alert_legacy", "en_US", json!([])))
            .await
            .code(),
        132001,
        "rejected"
    );
    let two = json!([{"type":"body","parameters":[{"type":"text","text":"a"},{"type":"text","text":"b"}]}]);
    assert_eq!(
        emu.send(PN1, VALID, tpl("seasonal_promo", "en_US", two))
            .await
            .code(),
        132015
    );
    let one = json!([{"type":"body","parameters":[{"type":"text","text":"a"}]}]);
    assert_eq!(
        emu.send(PN1, VALID, tpl("old_newsletter", "en_US", one))
            .await
            .code(),
        132016
    );
    // Parameter count: the seed's body-only send misses the URL button parameter.
    let r = emu
        .send(PN1, VALID, tpl("order_confirmation", "en_US", body4))
        .await;
    assert_eq!(r.code(), 132000);
    assert!(r.json()["error"]["error_data"]["details"]
        .as_str()
        .unwrap()
        .starts_with("button:"));
    let three = json!([{"type":"body","parameters":[{"type":"text","text":"a"},{"type":"text","text":"b"},{"type":"text","text":"c"}]},
                       {"type":"button","sub_type":"url","index":"0","parameters":[{"type":"text","text":"x"}]}]);
    let r = emu
        .send(PN1, VALID, tpl("order_confirmation", "en_US", three))
        .await;
    assert_eq!(r.code(), 132000);
    assert_eq!(
        r.json()["error"]["error_data"]["details"],
        "body: number of localizable_params (3) does not match the expected number of params (4)"
    );
    // Named parameters.
    let unnamed = json!([{"type":"body","parameters":[{"type":"text","text":"a"},{"type":"text","text":"b"}]}]);
    assert_eq!(
        emu.send(PN1, VALID, tpl("appointment_reminder", "en_US", unnamed))
            .await
            .code(),
        132012
    );
    let wrong = json!([{"type":"body","parameters":[{"type":"text","text":"a","parameter_name":"customer_name"},{"type":"text","text":"b","parameter_name":"nope"}]}]);
    assert_eq!(
        emu.send(PN1, VALID, tpl("appointment_reminder", "en_US", wrong))
            .await
            .code(),
        132012
    );
    let named = json!([{"type":"body","parameters":[{"type":"text","text":"John","parameter_name":"customer_name"},{"type":"text","text":"25 Dec","parameter_name":"appointment_date"}]}]);
    assert_eq!(
        emu.send(PN1, VALID, tpl("appointment_reminder", "en_US", named))
            .await
            .status,
        200
    );
    // Media header format mismatch.
    let doc_as_text = json!([{"type":"header","parameters":[{"type":"text","text":"x"}]},{"type":"body","parameters":[{"type":"text","text":"a"},{"type":"text","text":"b"}]}]);
    assert_eq!(
        emu.send(PN1, VALID, tpl("invoice_ready", "en_US", doc_as_text))
            .await
            .code(),
        132012
    );
    let doc = json!([{"type":"header","parameters":[{"type":"document","document":{"link":"https://example.com/i.pdf","filename":"i.pdf"}}]},{"type":"body","parameters":[{"type":"text","text":"a"},{"type":"text","text":"b"}]}]);
    assert_eq!(
        emu.send(PN1, VALID, tpl("invoice_ready", "en_US", doc))
            .await
            .status,
        200
    );
    // A template with no parameters, and text values with newlines.
    assert_eq!(
        emu.send(PN1, VALID, tpl("hello_world", "en_US", json!([])))
            .await
            .status,
        200
    );
    let nl = json!([{"type":"body","parameters":[{"type":"text","text":"a\nb"},{"type":"text","text":"b"}]}]);
    assert_eq!(
        emu.send(PN1, VALID, tpl("shipping_update", "en_US", nl))
            .await
            .code(),
        100
    );
    // Templates are looked up in the sender's WABA.
    assert_eq!(
        emu.send(PN3, VALID, tpl("appointment_reminder", "en_US", json!([])))
            .await
            .code(),
        132001
    );
}

#[tokio::test]
async fn media_upload_get_send_delete() {
    let emu = start(quiet()).await;
    let png: Vec<u8> = b"\x89PNG\r\n\x1a\nfake image bytes".to_vec();
    let (ct, body) = multipart("image/png", &png, "whatsapp");
    let path = format!("/v25.0/{PN1}/media");
    let h = [
        ("authorization", "Bearer test-token-valid"),
        ("content-type", ct.as_str()),
    ];
    let r = try_request(&emu.addr, "POST", &path, &h, body)
        .await
        .unwrap();
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let id = r.json()["id"].as_str().unwrap().to_owned();
    let m = emu.get(&format!("/v25.0/{id}"), Some(VALID)).await.json();
    assert_eq!(m["messaging_product"], "whatsapp");
    assert_eq!(m["mime_type"], "image/png");
    assert_eq!(m["file_size"], png.len());
    assert_eq!(m["id"], id.as_str());
    // sha256 checked with an independent implementation (sha2 used directly here, hex by hand).
    use sha2::Digest;
    let expect: String = sha2::Sha256::digest(&png)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(m["sha256"], expect);
    let url = m["url"]
        .as_str()
        .unwrap()
        .trim_start_matches(&emu.base)
        .to_owned();
    let dl = emu.get(&url, Some(VALID)).await;
    assert_eq!((dl.status, dl.body.to_vec()), (200, png.clone()));
    assert_eq!(emu.get(&url, None).await.code(), 104);
    // Send by id, unknown id, wrong kind.
    let img = |mid: &str| json!({"messaging_product":"whatsapp","to":"27821234567","type":"image","image":{"id":mid}});
    assert_eq!(emu.send(PN1, VALID, img(&id)).await.status, 200);
    assert_eq!(
        emu.send(PN1, VALID, img("509999999999999")).await.code(),
        131009
    );
    let aud =
        json!({"messaging_product":"whatsapp","to":"27821234567","type":"audio","audio":{"id":id}});
    assert_eq!(emu.send(PN1, VALID, aud).await.code(), 131053);
    // Unsupported type and oversize.
    let (ct2, b2) = multipart("application/zip", b"PK..", "whatsapp");
    let r = try_request(
        &emu.addr,
        "POST",
        &path,
        &[
            ("authorization", "Bearer test-token-valid"),
            ("content-type", ct2.as_str()),
        ],
        b2,
    )
    .await
    .unwrap();
    assert_eq!(r.code(), 131053);
    let big = vec![0u8; 5 * 1024 * 1024 + 1];
    let (ct3, b3) = multipart("image/jpeg", &big, "whatsapp");
    let r = try_request(
        &emu.addr,
        "POST",
        &path,
        &[
            ("authorization", "Bearer test-token-valid"),
            ("content-type", ct3.as_str()),
        ],
        b3,
    )
    .await
    .unwrap();
    assert_eq!(r.code(), 131053);
    let (ct4, b4) = multipart("image/png", &png, "sms");
    let r = try_request(
        &emu.addr,
        "POST",
        &path,
        &[
            ("authorization", "Bearer test-token-valid"),
            ("content-type", ct4.as_str()),
        ],
        b4,
    )
    .await
    .unwrap();
    assert_eq!(r.code(), 100);
    // No messaging scope → no upload.
    let (ct5, b5) = multipart("image/png", &png, "whatsapp");
    let r = try_request(
        &emu.addr,
        "POST",
        &path,
        &[
            ("authorization", "Bearer test-token-no-messaging"),
            ("content-type", ct5.as_str()),
        ],
        b5,
    )
    .await
    .unwrap();
    assert_eq!(r.code(), 10);
    // Delete.
    assert_eq!(
        emu.req("DELETE", &format!("/v25.0/{id}"), Some(VALID), None)
            .await
            .json(),
        json!({"success": true})
    );
    assert_eq!(
        emu.get(&format!("/v25.0/{id}"), Some(VALID))
            .await
            .subcode(),
        33
    );
    assert_eq!(emu.send(PN1, VALID, img(&id)).await.code(), 131009);
}

#[tokio::test]
async fn mark_as_read_with_typing_indicator() {
    let emu = start(quiet()).await;
    let inbound = emu
        .control(
            "POST",
            "inbound",
            Some(json!({"phone_number_id": PN1, "from": "27820000001", "text": "hi"})),
        )
        .await;
    let mid = inbound["id"].as_str().unwrap();
    assert!(mid.starts_with("wamid."));
    assert!(inbound["timestamp"]
        .as_str()
        .unwrap()
        .parse::<i64>()
        .is_ok());
    let read = json!({"messaging_product":"whatsapp","status":"read","message_id":mid,"typing_indicator":{"type":"text"}});
    let r = emu.send(PN1, VALID, read).await;
    assert_eq!(r.json(), json!({"success": true}));
    let r = emu
        .send(
            PN1,
            VALID,
            json!({"messaging_product":"whatsapp","status":"read","message_id":"wamid.unknown"}),
        )
        .await;
    assert_eq!(r.code(), 131009);
    // Read receipt for the inbound of another number is invalid too.
    let r = emu
        .send(
            PN2,
            VALID,
            json!({"messaging_product":"whatsapp","status":"read","message_id":mid}),
        )
        .await;
    assert_eq!(r.code(), 131009);
    // The inbound opened the window for free-form messages.
    assert_eq!(
        emu.send(PN1, VALID, text_msg("27820000001", "thanks"))
            .await
            .status,
        200
    );
}

fn create_body(name: &str, body_text: &str, example: Option<Value>) -> Value {
    let mut b = json!({"type": "BODY", "text": body_text});
    if let Some(e) = example {
        b["example"] = e;
    }
    json!({"name": name, "category": "UTILITY", "language": "en_US", "components": [b]})
}

/// The emulator takes exactly the crate's language list: every code the client accepts is created,
/// near misses are refused as Meta refuses them.
#[tokio::test]
async fn template_languages_are_the_crates() {
    let emu = start(quiet()).await;
    let path = "/v25.0/200000000000001/message_templates";
    for code in whatsapp_business::supported_languages() {
        let mut b = create_body("language_check", "Hello there friend", None);
        b["language"] = json!(code);
        let r = emu.post(path, Some(VALID), b).await;
        assert_eq!(
            (r.status, r.json()["status"].clone()),
            (200, json!("PENDING")),
            "{code}"
        );
    }
    for code in ["en-US", "EN_US", "xx", ""] {
        let mut b = create_body("language_check", "Hello there friend", None);
        b["language"] = json!(code);
        let r = emu.post(path, Some(VALID), b).await;
        assert_eq!(r.code(), 100, "{code}");
        assert!(
            r.json()["error"]["error_data"]["details"]
                .as_str()
                .unwrap()
                .contains("not a supported template language code"),
            "{code}: {}",
            r.json()
        );
    }
}

#[tokio::test]
async fn template_creation_and_review() {
    // A long review delay so a slow machine cannot approve before the "still pending" check.
    let emu = start(wa_emulator::Config {
        review_delay_secs: 60.0,
        ..quiet()
    })
    .await;
    let path = "/v25.0/200000000000001/message_templates";
    let ok = create_body(
        "delivery_window",
        "Hi {{1}}, your delivery arrives between {{2}} today.",
        Some(json!({"body_text": [["John", "9 and 11"]]})),
    );
    let r = emu.post(path, Some(VALID), ok.clone()).await.json();
    assert_eq!(r["status"], "PENDING");
    assert_eq!(r["category"], "UTILITY");
    let id = r["id"].as_str().unwrap().to_owned();
    let dup = emu.post(path, Some(VALID), ok).await;
    assert_eq!((dup.code(), dup.subcode()), (100, 2_388_024));
    let start_var = emu
        .post(
            path,
            Some(VALID),
            create_body(
                "bad_start",
                "{{1}} is your code for today",
                Some(json!({"body_text": [["1"]]})),
            ),
        )
        .await;
    assert_eq!((start_var.code(), start_var.subcode()), (100, 2_388_299));
    let end_var = emu
        .post(
            path,
            Some(VALID),
            create_body(
                "bad_end",
                "Your code for today is {{1}}",
                Some(json!({"body_text": [["1"]]})),
            ),
        )
        .await;
    assert_eq!(end_var.subcode(), 2_388_299);
    assert_eq!(
        emu.post(
            path,
            Some(VALID),
            create_body("Bad-Name", "Hello there friend", None)
        )
        .await
        .code(),
        100
    );
    let mut bad_cat = create_body("bad_cat", "Hello there friend", None);
    bad_cat["category"] = json!("GOSSIP");
    assert_eq!(emu.post(path, Some(VALID), bad_cat).await.code(), 100);
    let adjacent = emu
        .post(
            path,
            Some(VALID),
            create_body(
                "adjacent_vars",
                "Hi {{1}} {{2}}, welcome aboard friend.",
                Some(json!({"body_text": [["a", "b"]]})),
            ),
        )
        .await
        .json();
    let no_example = emu
        .post(
            path,
            Some(VALID),
            create_body("no_example", "Hi {{1}}, welcome aboard friend.", None),
        )
        .await
        .json();
    // Still pending before the review delay.
    let t = emu.get(&format!("/v25.0/{id}"), Some(VALID)).await.json();
    assert_eq!(t["status"], "PENDING");
    emu.control("POST", "clock/advance", Some(json!({"seconds": 61})))
        .await;
    let t = emu
        .get(&format!("/v25.0/{id}?fields=name,status"), Some(VALID))
        .await
        .json();
    assert_eq!(t["status"], "APPROVED");
    let adj = emu
        .get(
            &format!(
                "/v25.0/{}?fields=status,rejected_reason",
                adjacent["id"].as_str().unwrap()
            ),
            Some(VALID),
        )
        .await
        .json();
    assert_eq!(
        (adj["status"].as_str(), adj["rejected_reason"].as_str()),
        (Some("REJECTED"), Some("INVALID_FORMAT"))
    );
    let ne = emu
        .get(
            &format!(
                "/v25.0/{}?fields=status",
                no_example["id"].as_str().unwrap()
            ),
            Some(VALID),
        )
        .await
        .json();
    assert_eq!(ne["status"], "REJECTED");
    // Approved template is usable.
    let send = json!({"messaging_product":"whatsapp","to":"27820000001","type":"template","template":{"name":"delivery_window","language":{"code":"en_US"},
        "components":[{"type":"body","parameters":[{"type":"text","text":"Ann"},{"type":"text","text":"9 and 11"}]}]}});
    assert_eq!(emu.send(PN1, VALID, send).await.status, 200);
    // Force a status through the control API.
    let forced = emu
        .control(
            "POST",
            &format!("templates/{id}/status"),
            Some(json!({"status": "PAUSED"})),
        )
        .await;
    assert_eq!(forced["status"], "PAUSED");
    // Delete by name.
    let del = emu
        .req(
            "DELETE",
            &format!("{path}?name=delivery_window"),
            Some(VALID),
            None,
        )
        .await;
    assert_eq!(del.json(), json!({"success": true}));
    assert_eq!(
        emu.get(&format!("/v25.0/{id}"), Some(VALID))
            .await
            .subcode(),
        33
    );
    assert_eq!(
        emu.req(
            "DELETE",
            &format!("{path}?name=delivery_window"),
            Some(VALID),
            None
        )
        .await
        .code(),
        100
    );
    // Creation needs management on that WABA.
    let r = emu
        .post(
            "/v25.0/200000000000002/message_templates",
            Some("test-token-owned-only"),
            create_body("x_y", "Hello there friend", None),
        )
        .await;
    assert_eq!(r.code(), 200);
}

#[tokio::test]
async fn oauth_code_exchange_and_debug_token() {
    let emu = start(quiet()).await;
    let q = "/v25.0/oauth/access_token?client_id=900000000000001&client_secret=test-app-secret&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&code=test-code-valid";
    let r = emu.get(q, None).await;
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let j = r.json();
    assert_eq!(j["token_type"], "bearer");
    assert!(j["expires_in"].as_i64().unwrap() > 0);
    let short = j["access_token"].as_str().unwrap().to_owned();
    assert_eq!(
        emu.send(PN1, &short, text_msg("27821234567", "via oauth"))
            .await
            .status,
        200
    );
    let again = emu.get(q, None).await;
    assert_eq!((again.code(), again.subcode()), (100, 36009));
    let wrong_secret = emu.get(&q.replace("test-app-secret", "nope"), None).await;
    assert_eq!(wrong_secret.code(), 1);
    assert_eq!(
        emu.get(&q.replace("900000000000001", "1"), None)
            .await
            .code(),
        101
    );
    let long = emu
        .get(&format!("/v25.0/oauth/access_token?grant_type=fb_exchange_token&client_id=900000000000001&client_secret=test-app-secret&fb_exchange_token={short}"), None)
        .await
        .json();
    assert_eq!(long["expires_in"], 5_183_944);
    let long_tok = long["access_token"].as_str().unwrap().to_owned();
    assert_ne!(long_tok, short);
    let bad = emu.get("/v25.0/oauth/access_token?grant_type=fb_exchange_token&client_id=900000000000001&client_secret=test-app-secret&fb_exchange_token=garbage", None).await;
    assert_eq!(bad.code(), 190);
    // debug_token with the app token.
    let d = emu.get(&format!("/v25.0/debug_token?input_token={long_tok}&access_token=900000000000001%7Ctest-app-secret"), None).await.json();
    assert_eq!(d["data"]["is_valid"], true);
    assert_eq!(d["data"]["app_id"], "900000000000001");
    let d = emu
        .get(
            "/v25.0/debug_token?input_token=test-token-owned-only",
            Some(VALID),
        )
        .await
        .json();
    let gs = d["data"]["granular_scopes"].as_array().unwrap();
    let msg = gs
        .iter()
        .find(|g| g["scope"] == "whatsapp_business_messaging")
        .unwrap();
    assert_eq!(msg["target_ids"], json!([WABA1]));
    assert_eq!(d["data"]["expires_at"], 0);
    let d = emu
        .get(
            "/v25.0/debug_token?input_token=test-token-valid",
            Some(VALID),
        )
        .await
        .json();
    let mgmt = d["data"]["granular_scopes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["scope"] == "whatsapp_business_management")
        .unwrap()
        .clone();
    assert_eq!(mgmt["target_ids"], json!([WABA1, WABA2]));
    let d = emu
        .get(
            "/v25.0/debug_token?input_token=test-token-expired",
            Some(VALID),
        )
        .await
        .json();
    assert_eq!(
        (
            d["data"]["is_valid"].as_bool(),
            d["data"]["error"]["subcode"].as_i64()
        ),
        (Some(false), Some(463))
    );
    let d = emu
        .get("/v25.0/debug_token?input_token=garbage", Some(VALID))
        .await
        .json();
    assert_eq!(d["data"]["is_valid"], false);
    assert_eq!(
        emu.get("/v25.0/debug_token?input_token=garbage", None)
            .await
            .code(),
        104
    );
    // Short-lived tokens expire on the emulator clock.
    emu.control("POST", "clock/advance", Some(json!({"seconds": 7300})))
        .await;
    let r = emu.send(PN1, &short, text_msg("27821234567", "late")).await;
    assert_eq!((r.code(), r.subcode()), (190, 463));
    // A minted code bound to a redirect_uri.
    let c = emu
        .control(
            "POST",
            "oauth/codes",
            Some(json!({"code": "c2", "redirect_uri": "https://a.example/cb"})),
        )
        .await;
    assert_eq!(c["code"], "c2");
    let r = emu.get("/oauth/access_token?client_id=900000000000001&client_secret=test-app-secret&redirect_uri=https%3A%2F%2Fother%2F&code=c2", None).await;
    assert_eq!(r.subcode(), 36008);
}
