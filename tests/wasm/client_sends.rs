// Sends, templates, media, faults and runTask against a real wa-emulator in Node.
use super::emulator::*;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;
use whatsapp_business::js::{self, WhatsAppClient};

const PN: &str = "300000000000001";

fn client() -> WhatsAppClient {
    WhatsAppClient::new(options("test-token-valid", "")).expect("client")
}

async fn fresh() {
    reset().await;
    control("DELETE", "/_emulator/faults", None).await;
}

async fn sent_count() -> u32 {
    js_sys::Array::from(&get(
        &control("GET", "/_emulator/sent", None).await,
        "messages",
    ))
    .length()
}

async fn fault(body: &str) {
    control("POST", "/_emulator/faults", Some(body)).await;
}

#[wasm_bindgen_test]
async fn send_template_text_media_and_mark_as_read() {
    fresh().await;
    let c = client();
    let r = await_promise(c.send_template(parse(&format!(r#"{{"phoneNumberId":"{PN}","to":"27821234567","templateName":"order_confirmation","parameters":["John","12345","R500","Dec 25"],"components":[{{"type":"button","sub_type":"url","index":"0","parameters":[{{"type":"text","text":"12345"}}]}}]}}"#)))).await.unwrap();
    assert!(s(&r, "messageId").starts_with("wamid."), "{}", json(&r));
    let r = await_promise(c.send_text(parse(&format!(
        r#"{{"phoneNumberId":"{PN}","to":"27821234567","text":"Thank you for contacting us!"}}"#
    ))))
    .await
    .unwrap();
    assert_eq!(s(&r, "waId"), "27821234567");
    let r = await_promise(c.send_media(parse(&format!(r#"{{"phoneNumberId":"{PN}","to":"27821234567","mediaType":"document","link":"https://example.com/invoice.pdf","filename":"invoice.pdf"}}"#)))).await.unwrap();
    assert!(s(&r, "messageId").starts_with("wamid."));
    assert_eq!(sent_count().await, 3);

    let inbound = control(
        "POST",
        "/_emulator/inbound",
        Some(&format!(
            r#"{{"phone_number_id":"{PN}","from":"27821234567","text":"hi"}}"#
        )),
    )
    .await;
    let ok = await_promise(c.mark_as_read(parse(&format!(
        r#"{{"phoneNumberId":"{PN}","messageId":"{}"}}"#,
        s(&inbound, "id")
    ))))
    .await
    .unwrap();
    assert_eq!(ok, JsValue::TRUE);
}

#[wasm_bindgen_test]
async fn upload_media_is_multipart_and_checked_locally() {
    fresh().await;
    let c = client();
    let input = js(&format!("return {{ phoneNumberId: '{PN}', mimeType: 'image/png', filename: 'a.png', file: new Uint8Array([137,80,78,71,13,10,26,10,0,0,0,13]) }};"));
    let r = await_promise(c.upload_media(input)).await.unwrap();
    assert!(!s(&r, "id").is_empty(), "{}", json(&r));
    let blob = js(&format!("return {{ phoneNumberId: '{PN}', mimeType: 'application/pdf', file: new Blob(['%PDF-1.4 test']) }};"));
    assert!(!s(&await_promise(c.upload_media(blob)).await.unwrap(), "id").is_empty());
    let gif = js(&format!("return {{ phoneNumberId: '{PN}', mimeType: 'image/gif', file: new Uint8Array([71,73,70]) }};"));
    let e = await_promise(c.upload_media(gif)).await.unwrap_err();
    assert_eq!(
        err_kind(&e),
        ("validation".into(), "upload_mime_unsupported".into())
    );
}

#[wasm_bindgen_test]
async fn templates_create_and_list_with_paging() {
    fresh().await;
    let c = client();
    let all = await_promise(c.get_templates(parse(
        r#"{"businessAccountId":"200000000000001","limit":1000}"#,
    )))
    .await
    .unwrap();
    let n = js_sys::Array::from(&all).length();
    assert!(n > 25, "more than one page: {n}");
    let some = await_promise(c.get_templates(parse(
        r#"{"businessAccountId":"200000000000001","limit":30}"#,
    )))
    .await
    .unwrap();
    assert_eq!(js_sys::Array::from(&some).length(), 30);
    let approved = await_promise(c.get_templates(parse(
        r#"{"businessAccountId":"200000000000001","status":"APPROVED"}"#,
    )))
    .await
    .unwrap();
    let approved = js_sys::Array::from(&approved);
    assert!(approved.iter().all(|t| s(&t, "status") == "APPROVED"));

    let created = await_promise(c.create_template(parse(r#"{"businessAccountId":"200000000000001","name":"new_customer_welcome","category":"MARKETING","language":"en_US","components":[{"type":"BODY","text":"Hi {{1}}, thank you for signing up! Your account ID is {{2}}. Start exploring today.","example":{"body_text":[["John","ACC12345"]]}}]}"#))).await.unwrap();
    assert!(!s(&created, "id").is_empty());
    assert_eq!(s(&created, "status"), "PENDING");
}

#[wasm_bindgen_test]
async fn error_kinds_from_the_emulator() {
    fresh().await;
    let c = client();
    // window closed (Meta's 131047)
    let e = await_promise(c.send_text(parse(&format!(
        r#"{{"phoneNumberId":"{PN}","to":"27820000001","text":"hi"}}"#
    ))))
    .await
    .unwrap_err();
    assert_whatsapp_error(&e);
    assert_eq!(err_kind(&e), ("window_closed".into(), "131047".into()));
    // not on WhatsApp
    let e = await_promise(c.send_template(parse(&format!(
        r#"{{"phoneNumberId":"{PN}","to":"15550009999","templateName":"hello_world"}}"#
    ))))
    .await
    .unwrap_err();
    assert_eq!(s(&e, "code"), "131026");
    // template not found / parameter mismatch
    let e = await_promise(c.send_template(parse(&format!(
        r#"{{"phoneNumberId":"{PN}","to":"27821234567","templateName":"no_such_template"}}"#
    ))))
    .await
    .unwrap_err();
    assert_eq!(err_kind(&e), ("template".into(), "132001".into()));
    let e = await_promise(c.send_template(parse(&format!(r#"{{"phoneNumberId":"{PN}","to":"27821234567","templateName":"order_confirmation","parameters":["John"]}}"#)))).await.unwrap_err();
    assert_eq!(err_kind(&e), ("template".into(), "132000".into()));
    // not found (phone number id)
    let e = await_promise(c.send_text(parse(
        r#"{"phoneNumberId":"399999999999999","to":"27821234567","text":"hi"}"#,
    )))
    .await
    .unwrap_err();
    assert_eq!(s(&e, "kind"), "not_found", "{}", json(&e));
    // permission: no messaging scope
    let nm = WhatsAppClient::new(options("test-token-no-messaging", "")).unwrap();
    let e = await_promise(nm.send_text(parse(&format!(
        r#"{{"phoneNumberId":"{PN}","to":"27821234567","text":"hi"}}"#
    ))))
    .await
    .unwrap_err();
    assert_eq!(s(&e, "kind"), "permission");
    // validation: nothing sent
    let before = sent_count().await;
    let e = await_promise(c.send_text(parse(&format!(
        r#"{{"phoneNumberId":"{PN}","to":"27821234567","text":""}}"#
    ))))
    .await
    .unwrap_err();
    assert_eq!(s(&e, "kind"), "validation");
    assert_eq!(sent_count().await, before);
    // media: a link that is not https is refused locally, a bad upload type by Meta's rules
    let e = await_promise(c.send_media(parse(&format!(
        r#"{{"phoneNumberId":"{PN}","to":"27821234567","mediaType":"image"}}"#
    ))))
    .await
    .unwrap_err();
    assert_eq!(s(&e, "kind"), "validation");
    // transport: nothing listens there
    let dead = WhatsAppClient::new(parse(r#"{"accessToken":"t","baseUrl":"http://127.0.0.1:9","retry":{"maxAttempts":2,"baseDelayMs":1}}"#)).unwrap();
    let e = await_promise(dead.get_phone_numbers("200000000000001".into()))
        .await
        .unwrap_err();
    assert_eq!(err_kind(&e), ("transport".into(), "network".into()));
    assert_eq!(get(&e, "retryable"), JsValue::TRUE);
}

#[wasm_bindgen_test]
async fn the_window_store_refuses_locally() {
    fresh().await;
    let store = js("return { getLastInboundMs: async (pn, wa) => wa === '27821234567' ? Date.now() - 3600e3 : Date.now() - 30 * 3600e3 };");
    let o = options("test-token-valid", "");
    js_sys::Reflect::set(&o, &"windowStore".into(), &store).unwrap();
    let c = WhatsAppClient::new(o).unwrap();
    let ok = await_promise(c.send_text(parse(&format!(
        r#"{{"phoneNumberId":"{PN}","to":"27821234567","text":"hi"}}"#
    ))))
    .await;
    assert!(ok.is_ok());
    let e = await_promise(c.send_text(parse(&format!(
        r#"{{"phoneNumberId":"{PN}","to":"27820000001","text":"hi"}}"#
    ))))
    .await
    .unwrap_err();
    assert_eq!(
        err_kind(&e),
        ("window_closed".into(), "window_closed".into())
    );
    assert!(s(&e, "hint").contains("send_template"));
    assert_eq!(
        sent_count().await,
        1,
        "the refused send never reached the emulator"
    );
}

#[wasm_bindgen_test]
async fn a_dropped_send_is_ambiguous_and_not_replayed() {
    fresh().await;
    fault(r#"{"match":{"method":"POST","path_contains":"/messages"},"count":1,"fault":{"type":"drop"}}"#).await;
    let e = await_promise(client().send_text(parse(&format!(
        r#"{{"phoneNumberId":"{PN}","to":"27821234567","text":"only once"}}"#
    ))))
    .await
    .unwrap_err();
    assert_whatsapp_error(&e);
    assert_eq!(err_kind(&e), ("transport".into(), "ambiguous_send".into()));
    assert_eq!(get(&e, "ambiguous"), JsValue::TRUE);
    assert_eq!(get(&e, "retryable"), JsValue::FALSE);
    assert_eq!(
        sent_count().await,
        1,
        "recorded once by the emulator, never replayed"
    );
}

#[wasm_bindgen_test]
async fn a_timed_out_send_is_ambiguous() {
    fresh().await;
    fault(r#"{"match":{"method":"POST","path_contains":"/messages"},"count":1,"fault":{"type":"delay","ms":1500}}"#).await;
    let c = WhatsAppClient::new(options("test-token-valid", r#""timeoutMs":200"#)).unwrap();
    let e = await_promise(c.send_text(parse(&format!(
        r#"{{"phoneNumberId":"{PN}","to":"27821234567","text":"slow"}}"#
    ))))
    .await
    .unwrap_err();
    assert_eq!(err_kind(&e), ("transport".into(), "ambiguous_send".into()));
    assert!(s(&e, "message").contains("200 ms"), "{}", s(&e, "message"));
}

#[wasm_bindgen_test]
async fn throughput_errors_are_retried() {
    fresh().await;
    fault(r#"{"match":{"method":"POST","path_contains":"/messages"},"count":2,"fault":{"type":"graph_error","code":130429,"http_status":429}}"#).await;
    let r = await_promise(client().send_text(parse(&format!(
        r#"{{"phoneNumberId":"{PN}","to":"27821234567","text":"after two 130429"}}"#
    ))))
    .await
    .unwrap();
    assert!(s(&r, "messageId").starts_with("wamid."));
    assert_eq!(sent_count().await, 1);
    fault(r#"{"match":{"method":"GET","path_contains":"/phone_numbers"},"count":1,"fault":{"type":"http","status":503}}"#).await;
    assert!(
        await_promise(client().get_phone_numbers("200000000000001".into()))
            .await
            .is_ok()
    );
    fault(r#"{"match":{"method":"POST","path_contains":"/messages"},"count":10,"fault":{"type":"graph_error","code":130429,"http_status":429}}"#).await;
    let e = await_promise(client().send_text(parse(&format!(
        r#"{{"phoneNumberId":"{PN}","to":"27821234567","text":"gives up"}}"#
    ))))
    .await
    .unwrap_err();
    assert_eq!(err_kind(&e), ("rate_limit".into(), "130429".into()));
}

#[wasm_bindgen_test]
async fn a_hundred_parallel_sends_on_an_expired_token_refresh_once() {
    fresh().await;
    let provider = js("const p = { refreshes: 0, gets: 0, getToken: async () => { p.gets++; return { accessToken: 'test-token-expired', expiresAtMs: Date.now() - 1000 }; }, refresh: async () => { p.refreshes++; await new Promise(r => setTimeout(r, 30)); return 'test-token-valid'; } }; return p;");
    let o = parse(&format!(
        r#"{{"baseUrl":"{}","retry":{{"baseDelayMs":50,"maxDelayMs":1000,"maxAttempts":6}}}}"#,
        url()
    ));
    js_sys::Reflect::set(&o, &"tokenProvider".into(), &provider).unwrap();
    let c = WhatsAppClient::new(o).unwrap();
    let promises = js_sys::Array::new();
    for i in 0..100 {
        promises.push(&c.send_text(parse(&format!(
            r#"{{"phoneNumberId":"{PN}","to":"27821234567","text":"parallel {i}"}}"#
        ))));
    }
    let results = await_promise(js_sys::Promise::all(&promises))
        .await
        .unwrap();
    assert_eq!(js_sys::Array::from(&results).length(), 100);
    assert_eq!(
        get(&provider, "refreshes").as_f64(),
        Some(1.0),
        "exactly one refresh()"
    );
    assert_eq!(get(&provider, "gets").as_f64(), Some(1.0));
    assert_eq!(sent_count().await, 100);
}

fn task_options(extra: &str) -> JsValue {
    let o = parse(&format!(
        r#"{{"baseUrl":"{}","retry":{{"baseDelayMs":20}},"connections":{{"conn-main":"test-token-valid","conn-expired":"test-token-expired","conn-no-messaging":"test-token-no-messaging"}}{extra}}}"#,
        url()
    ));
    o
}

async fn task(config: &str) -> JsValue {
    await_promise(js::run_task_js(parse(config), task_options("")))
        .await
        .expect("runTask never rejects")
}

#[wasm_bindgen_test]
async fn run_task_every_action_against_the_emulator() {
    fresh().await;
    let o = task(&format!(r#"{{"action":"send_template","app_connection_id":"conn-main","business_account_id":"200000000000001","phone_number_id":"{PN}","recipient":"27821234567","template_name":"order_confirmation","template_parameters":"{{\"body\":[\"John\",\"12345\",\"R500\",\"Dec 25\"],\"buttons\":[\"12345\"]}}"}}"#)).await;
    assert_eq!(get(&o, "run"), JsValue::TRUE, "{}", json(&o));
    assert_eq!(s(&o, "run_text"), "Template sent successfully.");
    let wamid = s(&o, "message_id");
    assert!(wamid.starts_with("wamid."));

    let o = task(&format!(r#"{{"action":"send_text","app_connection_id":"conn-main","phone_number_id":"{PN}","recipient":"27821234567","message_text":"Thank you!"}}"#)).await;
    assert_eq!(
        s(&o, "run_text"),
        "Text message sent successfully.",
        "{}",
        json(&o)
    );
    let o = task(&format!(r#"{{"action":"send_media","app_connection_id":"conn-main","phone_number_id":"{PN}","recipient":"27821234567","media_type":"image","media_url":"https://example.com/qr.png","caption":"Your QR code"}}"#)).await;
    assert_eq!(
        s(&o, "run_text"),
        "Media sent successfully.",
        "{}",
        json(&o)
    );
    assert_eq!(s(&o, "media_type"), "image");
    let o = task(r#"{"action":"get_templates","app_connection_id":"conn-main","business_account_id":"200000000000001","status_filter":"APPROVED","limit":"50"}"#).await;
    assert_eq!(
        s(&o, "run_text"),
        "Successfully retrieved templates.",
        "{}",
        json(&o)
    );
    assert!(get(&o, "count").as_f64().unwrap_or(0.0) > 25.0);
    let o = task(r#"{"action":"create_template","app_connection_id":"conn-main","business_account_id":"200000000000001","template_name":"customer_welcome_2024","template_category":"MARKETING","template_components":"[{\"type\":\"BODY\",\"text\":\"Hi {{1}}, thank you for choosing us! Your account {{2}} is ready.\",\"example\":{\"body_text\":[[\"John\",\"ACC12345\"]]}}]"}"#).await;
    assert_eq!(
        s(&o, "run_text"),
        "Template created successfully.",
        "{}",
        json(&o)
    );
    assert_eq!(s(&o, "status"), "PENDING");
    let inbound = control(
        "POST",
        "/_emulator/inbound",
        Some(&format!(
            r#"{{"phone_number_id":"{PN}","from":"27821234567","text":"hi"}}"#
        )),
    )
    .await;
    let o = task(&format!(r#"{{"action":"mark_as_read","app_connection_id":"conn-main","phone_number_id":"{PN}","message_id":"{}"}}"#, s(&inbound, "id"))).await;
    assert_eq!(get(&o, "success"), JsValue::TRUE, "{}", json(&o));
    let o = task(&format!(r#"{{"action":"get_message_status","app_connection_id":"conn-main","message_id":"{wamid}"}}"#)).await;
    assert_eq!(get(&o, "run"), JsValue::FALSE);
    assert_eq!(s(&o, "error_code"), "status_from_webhooks");

    let store =
        js("return { get: async (id) => ({ status: 'delivered', timestamp: '1700000000' }) };");
    let opts = task_options("");
    js_sys::Reflect::set(&opts, &"statusStore".into(), &store).unwrap();
    let o = await_promise(js::run_task_js(parse(&format!(r#"{{"action":"get_message_status","app_connection_id":"conn-main","message_id":"{wamid}"}}"#)), opts)).await.unwrap();
    assert_eq!(s(&o, "run_text"), "Message status retrieved.");
    let vars = js::to_output_variables_js(o, JsValue::UNDEFINED).unwrap();
    assert_eq!(s(&get(&vars, "task_58001_data"), "status"), "delivered");
}

#[wasm_bindgen_test]
async fn run_task_failures_carry_advice() {
    fresh().await;
    let cases: &[(&str, &str, &str)] = &[
        (
            r#"{"action":"send_text","phone_number_id":"300000000000001","recipient":"27821234567","message_text":"x"}"#,
            "no_connection",
            "No app connection selected",
        ),
        (
            r#"{"action":"send_text","app_connection_id":"conn-expired","phone_number_id":"300000000000001","recipient":"27821234567","message_text":"x"}"#,
            "190",
            "expired",
        ),
        (
            r#"{"action":"send_text","app_connection_id":"conn-no-messaging","phone_number_id":"300000000000001","recipient":"27821234567","message_text":"x"}"#,
            "10",
            "whatsapp_business_messaging",
        ),
        (
            r#"{"action":"send_text","app_connection_id":"conn-main","phone_number_id":"300000000000001","recipient":"27820000001","message_text":"x"}"#,
            "131047",
            "send_template",
        ),
        (
            r#"{"action":"send_template","app_connection_id":"conn-main","phone_number_id":"300000000000001","recipient":"27821234567","template_name":"no_such_template"}"#,
            "132001",
            "get_templates",
        ),
        (
            r#"{"action":"send_template","app_connection_id":"conn-main","phone_number_id":"300000000000001","recipient":"27821234567","template_name":"order_confirmation","template_parameters":"[\"John\",\"12345\",\"R500\",\"Dec 25\"]"}"#,
            "132000",
            "placeholders",
        ),
        (
            r#"{"action":"send_media","app_connection_id":"conn-main","phone_number_id":"300000000000001","recipient":"27821234567","media_type":"image"}"#,
            "media_source_required",
            "media_url",
        ),
    ];
    for (config, code, advice) in cases {
        let o = task(config).await;
        assert_eq!(get(&o, "run"), JsValue::FALSE, "{config}");
        assert_eq!(s(&o, "error_code"), *code, "{}", json(&o));
        assert!(
            s(&o, "run_text").contains(advice),
            "{} should contain {advice}",
            s(&o, "run_text")
        );
        assert!(!s(&o, "error_kind").is_empty());
    }
}
