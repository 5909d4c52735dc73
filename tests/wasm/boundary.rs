// Shared by tests/node.rs and tests/browser.rs: the JS boundary behaves the same in every runtime.
use js_sys::Reflect;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;
use whatsapp_business::js;

fn get(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

#[wasm_bindgen_test]
fn validate_template_name_returns_plain_issues() {
    let ok = js::validate_template_name(JsValue::from_str("order_confirm")).unwrap();
    assert_eq!(get(&ok, "valid"), JsValue::TRUE);
    assert_eq!(js_sys::Array::from(&get(&ok, "issues")).length(), 0);

    let bad = js::validate_template_name(JsValue::from_str("Order-Confirm")).unwrap();
    assert_eq!(get(&bad, "valid"), JsValue::FALSE);
    let issues = js_sys::Array::from(&get(&bad, "issues"));
    assert_eq!(issues.length(), 1);
    let first = issues.get(0);
    assert_eq!(get(&first, "path").as_string().as_deref(), Some("name"));
    assert_eq!(
        get(&first, "code").as_string().as_deref(),
        Some("name_invalid_chars")
    );
    assert_eq!(
        get(&first, "severity").as_string().as_deref(),
        Some("error")
    );
    // A plain object, not a class instance: its prototype is Object.prototype.
    let proto = js_sys::Object::get_prototype_of(&first);
    assert!(JsValue::from(proto)
        .loose_eq(&js_sys::Object::get_prototype_of(&js_sys::Object::new()).into()));
}

#[wasm_bindgen_test]
fn wrong_argument_types_throw_whatsapp_error_not_a_trap() {
    let inputs = [
        JsValue::UNDEFINED,
        JsValue::NULL,
        JsValue::from_f64(42.0),
        js_sys::Object::new().into(),
        js_sys::Array::new().into(),
        JsValue::TRUE,
    ];
    for input in inputs {
        let err = js::validate_template_name(input.clone()).expect_err("must throw");
        assert!(err.is_instance_of::<js_sys::Error>(), "a real Error");
        assert!(
            err.is_instance_of::<js::WhatsAppError>(),
            "instanceof WhatsAppError"
        );
        assert_eq!(
            get(&err, "name").as_string().as_deref(),
            Some("WhatsAppError")
        );
        assert_eq!(get(&err, "kind").as_string().as_deref(), Some("validation"));
        assert_eq!(
            get(&err, "code").as_string().as_deref(),
            Some("invalid_type")
        );
        assert_eq!(get(&err, "retryable"), JsValue::FALSE);
        let issues = js_sys::Array::from(&get(&err, "issues"));
        assert_eq!(
            get(&issues.get(0), "path").as_string().as_deref(),
            Some("name")
        );
        let message = err
            .dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()));
        assert!(message
            .unwrap_or_default()
            .starts_with("name: name must be a string"));
    }
    // The instance is still healthy after the errors.
    assert!(js::validate_template_name(JsValue::from_str("still_works")).is_ok());
}

#[wasm_bindgen_test]
fn version_reports_crate_and_default_api_version() {
    let v = js::version().unwrap();
    assert_eq!(
        get(&v, "version").as_string().as_deref(),
        Some(env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(
        get(&v, "defaultApiVersion").as_string().as_deref(),
        Some("v25.0")
    );
}
