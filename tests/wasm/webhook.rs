// Shared by tests/node.rs and tests/browser.rs: the webhook exports on real JS values, in Node
// and in headless Chromium. Signature vectors were computed independently with Python:
//   python3 -c 'import hmac,hashlib; b=open("tests/fixtures/webhooks/message-text.json","rb").read();
//               print(hmac.new(b"browser-secret", b, hashlib.sha256).hexdigest())'
use js_sys::{Array, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;
use whatsapp_business::js::webhook as wh;

const FIXTURE: &[u8] = include_bytes!("../fixtures/webhooks/message-text.json");
const FIXTURE_SIG: &str = "sha256=9965f3b00c8075b5266a6b0ab28e9ec7556f5693ddcd792831184392ee2257ac";
// `{"text":"Café 🎉"}` as raw UTF-8, same secret.
const UTF8_SIG: &str = "sha256=8cbab9bc8097cda19b2b08794ef1ffc62c9b891bd5f8db1b6c25d33c1544d800";

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn s(v: &str) -> JsValue {
    JsValue::from_str(v)
}

#[wasm_bindgen_test]
fn signature_over_bytes_arraybuffer_and_string() {
    let bytes = Uint8Array::from(FIXTURE);
    let secret = s("browser-secret");
    for body in [
        JsValue::from(bytes.clone()),
        JsValue::from(bytes.buffer()),
        s(std::str::from_utf8(FIXTURE).unwrap()),
    ] {
        assert_eq!(
            wh::verify_webhook_signature(body.clone(), s(FIXTURE_SIG), secret.clone()),
            Ok(true)
        );
        assert_eq!(
            wh::verify_webhook_signature(body, s(FIXTURE_SIG), s("other")),
            Ok(false)
        );
    }
    let rotation = Array::of2(&s("old"), &secret);
    assert_eq!(
        wh::verify_webhook_signature(bytes.clone().into(), s(FIXTURE_SIG), rotation.into()),
        Ok(true)
    );
    let mut tampered = FIXTURE.to_vec();
    tampered[100] ^= 1;
    assert_eq!(
        wh::verify_webhook_signature(
            Uint8Array::from(&tampered[..]).into(),
            s(FIXTURE_SIG),
            secret.clone()
        ),
        Ok(false)
    );
    assert_eq!(
        wh::verify_webhook_signature(bytes.into(), JsValue::NULL, secret),
        Ok(false)
    );
    let utf8 = "{\"text\":\"Café 🎉\"}";
    assert_eq!(
        wh::sign_webhook(s(utf8), s("browser-secret")).unwrap(),
        UTF8_SIG
    );
    assert_eq!(
        wh::verify_webhook_signature(s(utf8), s(UTF8_SIG), s("browser-secret")),
        Ok(true)
    );
}

#[wasm_bindgen_test]
fn no_secret_throws_a_whatsapp_error() {
    let err = wh::verify_webhook_signature(s("{}"), s(FIXTURE_SIG), Array::new().into())
        .expect_err("must throw");
    assert!(err.is_instance_of::<whatsapp_business::js::WhatsAppError>());
    assert_eq!(
        get(&err, "code").as_string().as_deref(),
        Some("webhook_secret_missing")
    );
}

#[wasm_bindgen_test]
fn parse_returns_plain_typed_events() {
    let events = wh::parse_webhook(Uint8Array::from(FIXTURE).into()).unwrap();
    let events = Array::from(&events);
    assert_eq!(events.length(), 1);
    let e = events.get(0);
    assert_eq!(get(&e, "kind").as_string().as_deref(), Some("message"));
    assert_eq!(get(&e, "type").as_string().as_deref(), Some("text"));
    assert_eq!(get(&e, "timestamp").as_f64(), Some(1_749_416_383.0));
    assert_eq!(
        get(&get(&e, "text"), "body").as_string().as_deref(),
        Some("Does it come in another color? Café 🎉")
    );
    let err = wh::parse_webhook(s("{\"object\":\"page\"}")).expect_err("not WhatsApp");
    assert_eq!(
        get(&err, "code").as_string().as_deref(),
        Some("webhook_not_whatsapp")
    );
}

#[wasm_bindgen_test]
fn verify_and_parse_in_one_call() {
    let bytes = Uint8Array::from(FIXTURE);
    let secret = s("browser-secret");
    let view = js_sys::DataView::new(&bytes.buffer(), 0, FIXTURE.len());
    for body in [
        JsValue::from(bytes.clone()),
        JsValue::from(bytes.buffer()),
        JsValue::from(view),
        s(std::str::from_utf8(FIXTURE).unwrap()),
    ] {
        let events =
            wh::verify_and_parse_webhook(body.clone(), s(FIXTURE_SIG), secret.clone()).unwrap();
        let events = Array::from(&events);
        assert_eq!(events.length(), 1);
        assert_eq!(
            get(&events.get(0), "dedupKey").as_string().as_deref(),
            Some("message:wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=")
        );
        assert!(
            wh::verify_and_parse_webhook(body, s(FIXTURE_SIG), s("other"))
                .unwrap()
                .is_null()
        );
    }
    let err = wh::verify_and_parse_webhook(s("{}"), s(FIXTURE_SIG), Array::new().into())
        .expect_err("must throw");
    assert_eq!(
        get(&err, "code").as_string().as_deref(),
        Some("webhook_secret_missing")
    );
}

#[wasm_bindgen_test]
fn challenge_from_a_real_urlsearchparams() {
    let ctor: js_sys::Function = Reflect::get(&js_sys::global(), &s("URLSearchParams"))
        .unwrap()
        .unchecked_into();
    let params = Reflect::construct(
        &ctor,
        &Array::of1(&s(
            "hub.mode=subscribe&hub.verify_token=t%C3%B6ken+x&hub.challenge=987654",
        )),
    )
    .unwrap();
    assert_eq!(
        wh::verify_webhook_challenge(params.clone(), s("töken x")).unwrap(),
        s("987654")
    );
    assert!(wh::verify_webhook_challenge(params, s("wrong"))
        .unwrap()
        .is_null());
}

#[wasm_bindgen_test]
fn conversation_window_in_seconds() {
    let w = wh::conversation_window(s("1700000000"), JsValue::from_f64(1_700_000_060.0)).unwrap();
    assert_eq!(get(&w, "open"), JsValue::TRUE);
    assert_eq!(get(&w, "expiresAtMs").as_f64(), Some(1_700_086_400_000.0));
    let err = wh::conversation_window(JsValue::from_f64(1_700_000_000_000.0), JsValue::UNDEFINED)
        .expect_err("milliseconds");
    assert_eq!(
        get(&err, "code").as_string().as_deref(),
        Some("timestamp_in_milliseconds")
    );
}
