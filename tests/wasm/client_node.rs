// The client against a real wa-emulator in Node: every action and every error kind through fetch.
use super::emulator::*;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;
use whatsapp_business::js::{self, WhatsAppClient};

fn client(token: &str) -> WhatsAppClient {
    WhatsAppClient::new(options(token, "")).expect("client")
}

#[wasm_bindgen_test]
async fn discover_accounts_walks_businesses_wabas_and_numbers() {
    reset().await;
    let d = await_promise(client("test-token-valid").discover_accounts(JsValue::UNDEFINED))
        .await
        .unwrap();
    let accounts = js_sys::Array::from(&get(&d, "accounts"));
    assert_eq!(accounts.length(), 2, "{}", json(&d));
    let main = accounts.get(0);
    assert_eq!(
        (s(&main, "id"), s(&main, "relation")),
        ("200000000000001".into(), "owned".into())
    );
    let numbers = js_sys::Array::from(&get(&main, "phoneNumbers"));
    assert_eq!(numbers.length(), 2);
    let first = numbers.get(0);
    assert_eq!(s(&first, "qualityRating"), "GREEN");
    assert_eq!(s(&first, "verifiedName"), "BaseCloud Support");
    assert_eq!(s(&first, "throughput"), "STANDARD");
    assert!(!s(&first, "messagingLimit").is_empty());
    let client_waba = accounts.get(1);
    assert_eq!(
        (s(&client_waba, "id"), s(&client_waba, "relation")),
        ("200000000000002".into(), "client".into())
    );
    assert_eq!(
        s(
            &js_sys::Array::from(&get(&client_waba, "phoneNumbers")).get(0),
            "qualityRating"
        ),
        "RED"
    );
    assert_eq!(js_sys::Array::from(&get(&d, "problems")).length(), 0);
}

#[wasm_bindgen_test]
async fn discovery_with_an_owned_only_token_sees_one_waba() {
    let opts = parse(r#"{"businessId":"100000000000001"}"#);
    let d = await_promise(client("test-token-owned-only").discover_accounts(opts))
        .await
        .unwrap();
    let accounts = js_sys::Array::from(&get(&d, "accounts"));
    assert_eq!(accounts.length(), 1, "{}", json(&d));
    assert_eq!(s(&accounts.get(0), "id"), "200000000000001");
}

#[wasm_bindgen_test]
async fn get_phone_numbers_and_permission_on_a_foreign_waba() {
    let numbers =
        await_promise(client("test-token-valid").get_phone_numbers("200000000000002".into()))
            .await
            .unwrap();
    assert_eq!(
        s(&js_sys::Array::from(&numbers).get(0), "id"),
        "300000000000003"
    );
    let e =
        await_promise(client("test-token-owned-only").get_phone_numbers("200000000000002".into()))
            .await
            .unwrap_err();
    assert_whatsapp_error(&e);
    assert_eq!(s(&e, "kind"), "permission");
}

#[wasm_bindgen_test]
async fn tokens_expired_and_invalid_are_auth_errors() {
    for (token, sub) in [("test-token-expired", 463.0), ("not-a-token", 467.0)] {
        let e = await_promise(client(token).get_phone_numbers("200000000000001".into()))
            .await
            .unwrap_err();
        assert_whatsapp_error(&e);
        assert_eq!(err_kind(&e), ("auth".into(), "190".into()));
        assert_eq!(get(&e, "subcode").as_f64(), Some(sub));
        assert!(
            !s(&e, "message").contains(token),
            "the token never appears in errors"
        );
    }
}

#[wasm_bindgen_test]
async fn message_status_explains_webhooks() {
    let e = await_promise(client("test-token-valid").get_message_status("wamid.HBgNMjc4".into()))
        .await
        .unwrap_err();
    assert_whatsapp_error(&e);
    assert_eq!(
        err_kind(&e),
        ("not_found".into(), "status_from_webhooks".into())
    );
    assert!(s(&e, "hint").contains("webhook"));

    let store = js("return { get: async (id) => id === 'wamid.KNOWN' ? { status: 'read', timestamp: '1700000000' } : null };");
    let o = options("test-token-valid", "");
    js_sys::Reflect::set(&o, &"statusStore".into(), &store).unwrap();
    let c = WhatsAppClient::new(o).unwrap();
    let v = await_promise(c.get_message_status("wamid.KNOWN".into()))
        .await
        .unwrap();
    assert_eq!(s(&v, "status"), "read");
}

#[wasm_bindgen_test]
async fn oauth_code_exchange_is_single_use_and_debug_token_reads_scopes() {
    reset().await;
    let c = client("test-token-valid");
    let opts = parse(
        r#"{"appId":"900000000000001","appSecret":"test-app-secret","code":"test-code-valid"}"#,
    );
    let t = await_promise(c.exchange_code(opts.clone())).await.unwrap();
    let token = s(&t, "accessToken");
    assert!(!token.is_empty(), "{}", json(&t));
    let again = await_promise(c.exchange_code(opts)).await.unwrap_err();
    assert_whatsapp_error(&again);
    assert_eq!(
        s(&again, "kind"),
        "validation",
        "a used code is an OAuth parameter error: {}",
        json(&again)
    );

    let info = await_promise(c.debug_token(parse(&format!(
        r#"{{"inputToken":"{token}","appId":"900000000000001","appSecret":"test-app-secret"}}"#
    ))))
    .await
    .unwrap();
    assert_eq!(get(&info, "valid"), JsValue::TRUE, "{}", json(&info));

    let long = await_promise(c.exchange_long_lived_token(parse(&format!(
        r#"{{"appId":"900000000000001","appSecret":"test-app-secret","accessToken":"{token}"}}"#
    ))))
    .await
    .unwrap();
    assert!(!s(&long, "accessToken").is_empty());
}

#[wasm_bindgen_test]
async fn a_token_without_the_messaging_scope_fails_naming_it() {
    let c = client("test-token-no-messaging");
    let e = await_promise(c.debug_token(parse(
        r#"{"requiredScopes":["whatsapp_business_management","whatsapp_business_messaging"]}"#,
    )))
    .await
    .unwrap_err();
    assert_whatsapp_error(&e);
    assert_eq!(err_kind(&e), ("permission".into(), "missing_scope".into()));
    assert!(s(&e, "message").contains("whatsapp_business_messaging"));
    let info = await_promise(client("test-token-owned-only").debug_token(JsValue::UNDEFINED))
        .await
        .unwrap();
    assert_eq!(json(&get(&info, "wabaIds")), r#"["200000000000001"]"#);
}

#[wasm_bindgen_test]
async fn a_refreshing_provider_recovers_from_an_expired_token() {
    let provider = js("let n = 0; const p = { refreshes: 0, getToken: async () => 'test-token-expired', refresh: async () => { p.refreshes++; return { accessToken: 'test-token-valid', expiresAtMs: Date.now() + 3600e3 }; } }; return p;");
    let o = options("x", "");
    js_sys::Reflect::delete_property(&o.clone().into(), &"accessToken".into()).unwrap();
    js_sys::Reflect::set(&o, &"tokenProvider".into(), &provider).unwrap();
    let c = WhatsAppClient::new(o).unwrap();
    let n = await_promise(c.get_phone_numbers("200000000000001".into()))
        .await
        .unwrap();
    assert_eq!(js_sys::Array::from(&n).length(), 2);
    assert_eq!(get(&provider, "refreshes").as_f64(), Some(1.0));
}

#[wasm_bindgen_test]
fn constructor_and_free_functions_validate() {
    let e = WhatsAppClient::new(parse("{}")).unwrap_err();
    assert_eq!(err_kind(&e), ("validation".into(), "token_required".into()));
    let e = WhatsAppClient::new(parse(r#"{"accessToken":"t","apiVersion":"v18.0"}"#)).unwrap_err();
    assert_eq!(s(&e, "code"), "api_version_retired");
    let u = js::build_authorization_url_js(parse(
        r#"{"appId":"900000000000001","redirectUri":"https://crm.example/cb"}"#,
    ))
    .unwrap();
    let state = s(&u, "state");
    assert_eq!(state.len(), 32);
    assert!(s(&u, "url").contains(&format!("state={state}")));
    let u2 = js::build_authorization_url_js(parse(
        r#"{"appId":"900000000000001","redirectUri":"https://crm.example/cb"}"#,
    ))
    .unwrap();
    assert_ne!(s(&u2, "state"), state, "random per call");
    let vars = js::to_output_variables_js(
        parse(r#"{"run":true,"data":{"status":"read"}}"#),
        JsValue::UNDEFINED,
    )
    .unwrap();
    assert_eq!(s(&get(&vars, "task_58001_data"), "status"), "read");
}
