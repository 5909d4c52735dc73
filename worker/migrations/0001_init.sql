-- The worker's stores. Every write is idempotent (INSERT OR IGNORE on a unique key, or an upsert
-- that only moves forward), so a redelivered webhook changes nothing.

-- Every webhook event received, once per dedupKey (the package's key: message:<wamid>,
-- status:<wamid>:<status>, template_status:<id>:<event>:<time>, …). The history behind the views.
CREATE TABLE events (
  dedup_key       TEXT PRIMARY KEY NOT NULL,
  kind            TEXT NOT NULL,           -- message | status | template_status | … | unknown | unprocessed
  waba_id         TEXT,
  phone_number_id TEXT,
  user_key        TEXT,                    -- opaque: see userKey() in src/userkey.ts
  ref_id          TEXT,                    -- wamid (message, status) or template id
  status          TEXT,                    -- status events: sent | delivered | read | failed | played
  event_time      INTEGER,                 -- unix seconds, as Meta reports it
  received_at     INTEGER NOT NULL,        -- unix seconds, when the worker stored it
  payload         TEXT NOT NULL            -- the parsed event as JSON
);
CREATE INDEX events_ref ON events (ref_id, kind);
CREATE INDEX events_received ON events (received_at);

-- The current status of each message, as a one-way rank: accepted(0) < sent(1) < delivered(2)
-- < read(3) < played(4); failed(9) is terminal.
CREATE TABLE messages (
  wamid           TEXT PRIMARY KEY,
  phone_number_id TEXT,
  user_key        TEXT,
  status          TEXT NOT NULL,
  rank            INTEGER NOT NULL,
  status_time     INTEGER,                 -- unix seconds of the status that set `status`
  error_code      INTEGER,                 -- failed: Meta's errors[0].code
  error_hint      TEXT,                    -- failed: the package's advice for that code
  record          TEXT NOT NULL,           -- StatusRecord JSON (what get_message_status returns)
  accepted_at     INTEGER,                 -- unix seconds when a send through this worker was accepted
  updated_at      INTEGER NOT NULL
);
CREATE INDEX messages_updated ON messages (updated_at);

-- The 24-hour customer-service window per (business phone number, user).
CREATE TABLE windows (
  phone_number_id TEXT NOT NULL,
  user_key        TEXT NOT NULL,
  last_inbound    INTEGER NOT NULL,        -- unix seconds of the newest inbound message
  last_message_id TEXT,
  PRIMARY KEY (phone_number_id, user_key)
);
CREATE INDEX windows_last ON windows (last_inbound);

-- Template review status and quality, newest event wins.
CREATE TABLE templates (
  template_id     TEXT PRIMARY KEY,
  waba_id         TEXT,
  name            TEXT,
  language        TEXT,
  status          TEXT,
  reason          TEXT,
  status_time     INTEGER,
  quality_score   TEXT,
  quality_time    INTEGER,
  updated_at      INTEGER NOT NULL
);

-- Business phone numbers: ids seen on message/status events and the last quality event.
CREATE TABLE phone_numbers (
  display_number  TEXT PRIMARY KEY,        -- digits only
  phone_number_id TEXT,
  waba_id         TEXT,
  quality_event   TEXT,                    -- ONBOARDING, THROUGHPUT_UPGRADE, FLAGGED, UNFLAGGED, …
  current_limit   TEXT,                    -- e.g. TIER_2K
  quality_time    INTEGER,
  updated_at      INTEGER NOT NULL
);
