//! Test helpers: start the emulator in-process on an ephemeral port and talk real HTTP/1.1.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::rt::TokioIo;
use serde_json::Value;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use wa_emulator::Config;

pub const PN1: &str = "300000000000001";
pub const PN2: &str = "300000000000002";
pub const PN3: &str = "300000000000003";
pub const WABA1: &str = "200000000000001";
pub const WABA2: &str = "200000000000002";
pub const BIZ: &str = "100000000000001";
pub const VALID: &str = "test-token-valid";

pub struct Emu {
    pub base: String,
    pub addr: String,
}

pub fn quiet() -> Config {
    Config {
        log_requests: false,
        ..Config::default()
    }
}

pub async fn start(config: Config) -> Emu {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    tokio::spawn(wa_emulator::serve(config, listener));
    Emu {
        base: format!("http://{addr}"),
        addr,
    }
}

pub struct Res {
    pub status: u16,
    pub headers: hyper::HeaderMap,
    pub body: Bytes,
}

impl Res {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
    pub fn code(&self) -> i64 {
        self.json()["error"]["code"].as_i64().unwrap_or(-1)
    }
    pub fn subcode(&self) -> i64 {
        self.json()["error"]["error_subcode"].as_i64().unwrap_or(-1)
    }
}

/// One request on a fresh connection. `Err` when the server closed without answering.
pub async fn try_request(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Vec<u8>,
) -> Result<Res, String> {
    let stream = TcpStream::connect(addr).await.map_err(|e| e.to_string())?;
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| e.to_string())?;
    tokio::spawn(async move {
        let _ = conn.await;
    });
    let mut b = hyper::Request::builder()
        .method(method)
        .uri(path)
        .header("host", addr);
    for (k, v) in headers {
        b = b.header(*k, *v);
    }
    let req = b
        .body(Full::new(Bytes::from(body)))
        .map_err(|e| e.to_string())?;
    let resp = tokio::time::timeout(Duration::from_secs(30), sender.send_request(req))
        .await
        .map_err(|_| "timeout".to_string())?
        .map_err(|e| e.to_string())?;
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let body = resp
        .into_body()
        .collect()
        .await
        .map_err(|e| e.to_string())?
        .to_bytes();
    Ok(Res {
        status,
        headers,
        body,
    })
}

impl Emu {
    pub async fn req(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Res {
        let auth = token.map(|t| format!("Bearer {t}"));
        let mut h: Vec<(&str, &str)> = vec![];
        if let Some(a) = &auth {
            h.push(("authorization", a.as_str()));
        }
        let bytes = match &body {
            Some(v) => {
                h.push(("content-type", "application/json"));
                serde_json::to_vec(v).unwrap()
            }
            None => vec![],
        };
        try_request(&self.addr, method, path, &h, bytes)
            .await
            .unwrap()
    }
    pub async fn get(&self, path: &str, token: Option<&str>) -> Res {
        self.req("GET", path, token, None).await
    }
    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Res {
        self.req("POST", path, token, Some(body)).await
    }
    pub async fn control(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let r = self
            .req(method, &format!("/_emulator/{path}"), None, body)
            .await;
        assert!(
            r.status < 300,
            "control {path}: {} {}",
            r.status,
            String::from_utf8_lossy(&r.body)
        );
        r.json()
    }
    pub async fn send(&self, pnid: &str, token: &str, body: Value) -> Res {
        self.post(&format!("/v25.0/{pnid}/messages"), Some(token), body)
            .await
    }
}

pub fn text_msg(to: &str, text: &str) -> Value {
    serde_json::json!({"messaging_product": "whatsapp", "to": to, "type": "text", "text": {"body": text}})
}

/// The seed's order_confirmation send, completed with the URL button parameter the template needs.
pub fn order_confirmation(to: &str, lang: &str) -> Value {
    serde_json::json!({
        "messaging_product": "whatsapp", "to": to, "type": "template",
        "template": {"name": "order_confirmation", "language": {"code": lang}, "components": [
            {"type": "body", "parameters": [
                {"type": "text", "text": "John"}, {"type": "text", "text": "12345"},
                {"type": "text", "text": "R500"}, {"type": "text", "text": "Dec 25"}]},
            {"type": "button", "sub_type": "url", "index": "0", "parameters": [{"type": "text", "text": "12345"}]}
        ]}
    })
}

/// Builds a multipart/form-data body for a media upload.
pub fn multipart(mime: &str, data: &[u8], product: &str) -> (String, Vec<u8>) {
    let boundary = "----waEmuTestBoundary7MA4YWxk";
    let mut b = Vec::new();
    b.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"messaging_product\"\r\n\r\n{product}\r\n").as_bytes());
    b.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"type\"\r\n\r\n{mime}\r\n")
            .as_bytes(),
    );
    b.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"upload.bin\"\r\nContent-Type: {mime}\r\n\r\n").as_bytes(),
    );
    b.extend_from_slice(data);
    b.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), b)
}
