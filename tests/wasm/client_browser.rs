// The fetch path in headless Chromium: a cross-origin page calling wa-emulator (CORS preflight
// for the JSON POST with an Authorization header).
use super::emulator::*;
use wasm_bindgen_test::wasm_bindgen_test;
use whatsapp_business::js::WhatsAppClient;

#[wasm_bindgen_test]
async fn fetch_works_cross_origin_in_a_browser() {
    reset().await;
    let c = WhatsAppClient::new(options("test-token-valid", "")).unwrap();
    let numbers = await_promise(c.get_phone_numbers("200000000000001".into()))
        .await
        .unwrap();
    assert_eq!(js_sys::Array::from(&numbers).length(), 2);
    let sent = await_promise(c.send_text(parse(
        r#"{"phoneNumberId":"300000000000001","to":"27821234567","text":"from Chromium"}"#,
    )))
    .await
    .unwrap();
    assert!(
        s(&sent, "messageId").starts_with("wamid."),
        "{}",
        json(&sent)
    );
    let e = await_promise(c.send_text(parse(
        r#"{"phoneNumberId":"300000000000001","to":"27820000001","text":"closed window"}"#,
    )))
    .await
    .unwrap_err();
    assert_eq!(
        s(&e, "kind"),
        "window_closed",
        "a Graph error body is readable cross-origin"
    );
}
