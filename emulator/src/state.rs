//! The emulator's mutable world: seeded from the fixture, changed by requests, reset on demand.

use serde::Deserialize;
use serde_json::{Map, Value};
use std::collections::{HashMap, VecDeque};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

#[derive(Debug, Clone, Deserialize)]
pub struct Fixture {
    pub app: App,
    pub user: User,
    pub businesses: Vec<Map<String, Value>>,
    pub wabas: Vec<Map<String, Value>>,
    pub phone_numbers: Vec<Map<String, Value>>,
    pub tokens: Vec<TokenSeed>,
    #[serde(default)]
    pub oauth_codes: Vec<CodeSeed>,
    #[serde(default)]
    pub recipients: Vec<RecipientSeed>,
    #[serde(default)]
    pub templates: Vec<TemplateSeed>,
    #[serde(default)]
    pub generate_templates: Vec<GenerateSeed>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct App {
    pub id: String,
    pub secret: String,
    pub name: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct User {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct TokenSeed {
    pub token: String,
    #[serde(rename = "type", default = "user_type")]
    pub kind: String,
    pub scopes: Vec<String>,
    /// WABA ids the WhatsApp scopes are granted for; `None` = every WABA in the fixture.
    #[serde(default)]
    pub targets: Option<Vec<String>>,
    /// Seconds relative to the start clock.
    #[serde(default)]
    pub issued_at: i64,
    /// Seconds relative to the start clock; `None` = never expires.
    #[serde(default)]
    pub expires_at: Option<i64>,
}

fn user_type() -> String {
    "USER".into()
}

#[derive(Debug, Clone, Deserialize)]
pub struct CodeSeed {
    pub code: String,
    #[serde(default)]
    pub redirect_uri: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct RecipientSeed {
    pub wa_id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default = "yes")]
    pub on_whatsapp: bool,
    #[serde(default)]
    pub last_inbound_seconds_ago: Option<f64>,
    #[serde(default = "yes")]
    pub reads: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize)]
pub struct TemplateSeed {
    pub id: String,
    pub waba_id: String,
    pub name: String,
    pub language: String,
    pub category: String,
    pub status: String,
    #[serde(default = "positional")]
    pub parameter_format: String,
    pub components: Vec<Value>,
    #[serde(default)]
    pub rejected_reason: Option<String>,
    #[serde(default)]
    pub quality_score: Option<String>,
}

fn positional() -> String {
    "POSITIONAL".into()
}

#[derive(Debug, Clone, Deserialize)]
pub struct GenerateSeed {
    pub waba_id: String,
    pub prefix: String,
    pub count: u32,
    pub first_id: String,
    pub language: String,
    pub category: String,
}

/// An access token as the emulator knows it.
#[derive(Debug, Clone)]
pub struct Token {
    pub kind: String,
    pub scopes: Vec<String>,
    pub targets: Option<Vec<String>>,
    pub issued_at: f64,
    /// Unix seconds; `None` = never.
    pub expires_at: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct Template {
    pub id: String,
    pub waba_id: String,
    pub name: String,
    pub language: String,
    pub category: String,
    pub status: String,
    pub parameter_format: String,
    pub components: Vec<Value>,
    pub rejected_reason: Option<String>,
    pub quality_score: Option<String>,
    /// Emulator-clock time at which a PENDING template created through the API is reviewed.
    pub review_due: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct Recipient {
    pub name: Option<String>,
    pub on_whatsapp: bool,
    pub reads: bool,
}

#[derive(Debug, Clone)]
pub struct Media {
    pub phone_number_id: String,
    pub waba_id: String,
    pub mime_type: String,
    pub sha256: String,
    pub bytes: bytes::Bytes,
}

#[derive(Debug, Clone)]
pub struct SentMessage {
    pub id: String,
    pub phone_number_id: String,
    pub to: String,
    pub kind: String,
    pub body: Value,
    pub timestamp: i64,
    pub status: String,
}

#[derive(Debug, Clone)]
pub struct Fault {
    pub id: u64,
    pub method: Option<String>,
    pub path_contains: Option<String>,
    pub remaining: u64,
    /// Chance (0–1) that a matching request gets the fault; `None` = every matching request.
    pub probability: Option<f64>,
    pub fault: Value,
}

#[derive(Debug, Clone, Copy)]
pub struct PairBucket {
    pub tokens: f64,
    pub at: f64,
}

/// Everything requests can change. Guarded by one mutex in [`crate::App`].
#[derive(Debug)]
pub struct State {
    pub base_real: Instant,
    pub base_unix: f64,
    pub offset: f64,
    pub fixture: Fixture,
    pub tokens: HashMap<String, Token>,
    pub codes: HashMap<String, Option<String>>,
    pub used_codes: std::collections::HashSet<String>,
    pub recipients: HashMap<String, Recipient>,
    pub templates: Vec<Template>,
    pub windows: HashMap<(String, String), f64>,
    pub inbound: HashMap<String, String>,
    pub sent: Vec<SentMessage>,
    pub sent_index: HashMap<String, usize>,
    pub media: HashMap<String, Media>,
    pub faults: Vec<Fault>,
    pub throughput: HashMap<String, VecDeque<Instant>>,
    pub pairs: HashMap<(String, String), PairBucket>,
    /// Messaging-tier bookkeeping per phone number ([`crate::limits`]).
    pub tiers: HashMap<String, crate::limits::TierLog>,
    /// Tier limits set through the control API (unique users per window), per phone number.
    pub tier_limits: HashMap<String, u64>,
    /// Sends refused per (phone number, Graph code), for `GET /_emulator/stats`.
    pub rejections: HashMap<(String, i64), u64>,
    /// Injected faults applied, by fault type (`http`, `graph_error`, `delay`, `drop`).
    pub fault_hits: HashMap<String, u64>,
    /// The fixture's phone numbers as seeded (the control API changes `fixture.phone_numbers`).
    pub phone_seed: Vec<Map<String, Value>>,
    pub webhook_log: Vec<Value>,
    pub next_id: u64,
    pub next_fault: u64,
    pub pending_reviews: usize,
}

pub fn unix_now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0)
}

/// A string field of a fixture object.
pub fn field<'a>(m: &'a Map<String, Value>, k: &str) -> &'a str {
    m.get(k).and_then(Value::as_str).unwrap_or("")
}

impl State {
    pub fn new(fixture: Fixture) -> Self {
        let mut s = State {
            base_real: Instant::now(),
            base_unix: unix_now().floor(),
            offset: 0.0,
            fixture,
            tokens: HashMap::new(),
            codes: HashMap::new(),
            used_codes: std::collections::HashSet::new(),
            recipients: HashMap::new(),
            templates: Vec::new(),
            windows: HashMap::new(),
            inbound: HashMap::new(),
            sent: Vec::new(),
            sent_index: HashMap::new(),
            media: HashMap::new(),
            faults: Vec::new(),
            throughput: HashMap::new(),
            pairs: HashMap::new(),
            tiers: HashMap::new(),
            tier_limits: HashMap::new(),
            rejections: HashMap::new(),
            fault_hits: HashMap::new(),
            phone_seed: Vec::new(),
            webhook_log: Vec::new(),
            next_id: 0,
            next_fault: 1,
            pending_reviews: 0,
        };
        s.reset();
        s
    }

    /// Back to the fixture, clock included.
    pub fn reset(&mut self) {
        self.base_real = Instant::now();
        self.base_unix = unix_now().floor();
        self.offset = 0.0;
        let start = self.base_unix;
        if self.phone_seed.is_empty() {
            self.phone_seed = self.fixture.phone_numbers.clone();
        } else {
            self.fixture.phone_numbers = self.phone_seed.clone();
        }
        self.tiers.clear();
        self.tier_limits.clear();
        self.rejections.clear();
        self.fault_hits.clear();
        let f = &self.fixture;
        self.tokens = f
            .tokens
            .iter()
            .map(|t| {
                (
                    t.token.clone(),
                    Token {
                        kind: t.kind.clone(),
                        scopes: t.scopes.clone(),
                        targets: t.targets.clone(),
                        issued_at: start + t.issued_at as f64,
                        expires_at: t.expires_at.map(|e| start + e as f64),
                    },
                )
            })
            .collect();
        self.used_codes.clear();
        self.codes = f
            .oauth_codes
            .iter()
            .map(|c| (c.code.clone(), c.redirect_uri.clone()))
            .collect();
        self.recipients = f
            .recipients
            .iter()
            .map(|r| {
                (
                    r.wa_id.clone(),
                    Recipient {
                        name: r.name.clone(),
                        on_whatsapp: r.on_whatsapp,
                        reads: r.reads,
                    },
                )
            })
            .collect();
        self.windows = HashMap::new();
        for r in &f.recipients {
            if let Some(ago) = r.last_inbound_seconds_ago {
                for p in &f.phone_numbers {
                    self.windows
                        .insert((field(p, "id").to_owned(), r.wa_id.clone()), start - ago);
                }
            }
        }
        let mut templates: Vec<Template> = f
            .templates
            .iter()
            .map(|t| Template {
                id: t.id.clone(),
                waba_id: t.waba_id.clone(),
                name: t.name.clone(),
                language: t.language.clone(),
                category: t.category.clone(),
                status: t.status.clone(),
                parameter_format: t.parameter_format.to_ascii_uppercase(),
                components: t.components.clone(),
                rejected_reason: t.rejected_reason.clone(),
                quality_score: t.quality_score.clone(),
                review_due: None,
            })
            .collect();
        for g in &f.generate_templates {
            let first: u64 = g.first_id.parse().unwrap_or(400_000_000_100_001);
            for i in 0..g.count {
                let n = i + 1;
                templates.push(Template {
                    id: (first + u64::from(i)).to_string(),
                    waba_id: g.waba_id.clone(),
                    name: format!("{}{:02}", g.prefix, n),
                    language: g.language.clone(),
                    category: g.category.clone(),
                    status: "APPROVED".into(),
                    parameter_format: "POSITIONAL".into(),
                    components: vec![serde_json::json!({
                        "type": "BODY",
                        "text": format!("Notice {n}: hello {{{{1}}}}, your account update {{{{2}}}} is ready for review today."),
                        "example": {"body_text": [["John", "A-1"]]}
                    })],
                    rejected_reason: None,
                    quality_score: None,
                    review_due: None,
                });
            }
        }
        self.templates = templates;
        self.inbound.clear();
        self.sent.clear();
        self.sent_index.clear();
        self.media.clear();
        self.faults.clear();
        self.throughput.clear();
        self.pairs.clear();
        self.webhook_log.clear();
        self.pending_reviews = 0;
    }

    /// Emulator clock, unix seconds with fractions.
    pub fn now(&self) -> f64 {
        self.base_unix + self.base_real.elapsed().as_secs_f64() + self.offset
    }

    pub fn now_secs(&self) -> i64 {
        self.now().floor() as i64
    }

    /// A fresh numeric id with the given 3-digit prefix (e.g. 500 for media).
    pub fn new_numeric_id(&mut self, prefix: u64) -> String {
        self.next_id += 1;
        (prefix * 1_000_000_000_000 + 900_000_000_000 + self.next_id).to_string()
    }

    /// A fresh wamid for a message to or from `wa_id`, shaped like Meta's: base64 of a small
    /// binary record holding the user id and a unique suffix.
    pub fn new_wamid(&mut self, wa_id: &str) -> String {
        self.next_id += 1;
        let mut raw: Vec<u8> = vec![0x1c, 0x18, wa_id.len() as u8];
        raw.extend_from_slice(wa_id.as_bytes());
        raw.extend_from_slice(&[0x15, 0x02, 0x00, 0x11, 0x18, 0x12]);
        raw.extend_from_slice(
            format!(
                "{:012X}{:06X}",
                crate::util::random_u64() & 0xFFFF_FFFF_FFFF,
                self.next_id & 0xFF_FFFF
            )
            .as_bytes(),
        );
        raw.push(0);
        format!("wamid.{}", crate::util::base64_url(&raw))
    }

    pub fn phone(&self, id: &str) -> Option<&Map<String, Value>> {
        self.fixture
            .phone_numbers
            .iter()
            .find(|p| field(p, "id") == id)
    }

    pub fn waba(&self, id: &str) -> Option<&Map<String, Value>> {
        self.fixture.wabas.iter().find(|w| field(w, "id") == id)
    }

    pub fn business(&self, id: &str) -> Option<&Map<String, Value>> {
        self.fixture
            .businesses
            .iter()
            .find(|b| field(b, "id") == id)
    }

    pub fn recipient(&self, wa_id: &str) -> Recipient {
        self.recipients.get(wa_id).cloned().unwrap_or(Recipient {
            name: None,
            on_whatsapp: true,
            reads: true,
        })
    }

    pub fn all_waba_ids(&self) -> Vec<String> {
        self.fixture
            .wabas
            .iter()
            .map(|w| field(w, "id").to_owned())
            .collect()
    }
}
