-- Campaigns (worker/src/campaigns/): a template sent to many recipients, paced per phone number.
-- Every recipient has one state; transitions are conditional updates (`WHERE state = …`), so a
-- redelivered queue message or a concurrent consumer can never send to a recipient twice.

CREATE TABLE campaigns (
  id                 TEXT PRIMARY KEY,
  app_connection_id  TEXT NOT NULL,
  waba_id            TEXT NOT NULL,
  phone_number_id    TEXT NOT NULL,
  display_number     TEXT,                  -- digits: phone_number_quality_update names the number this way
  template_id        TEXT,
  template_name      TEXT NOT NULL,
  template_language  TEXT NOT NULL,
  category           TEXT NOT NULL,         -- MARKETING | UTILITY | AUTHENTICATION (opt-in guard: MARKETING)
  state              TEXT NOT NULL,         -- running | paused | completed | cancelled
  pause_reason       TEXT,                  -- e.g. quality:FLAGGED, template:PAUSED, manual
  throughput         INTEGER NOT NULL,      -- messages/s the number is paced at (Graph throughput or config)
  tier_limit         INTEGER,               -- unique users per tier window; NULL = unlimited
  total              INTEGER NOT NULL,
  start_at           INTEGER NOT NULL,      -- unix ms
  created_at         INTEGER NOT NULL,
  updated_at         INTEGER NOT NULL,
  progress_at        INTEGER NOT NULL,      -- last time a recipient changed state (stall detection)
  completed_at       INTEGER
);
CREATE INDEX campaigns_state ON campaigns (state);
CREATE INDEX campaigns_display ON campaigns (display_number, state);
CREATE INDEX campaigns_template ON campaigns (template_name, template_language, state);

-- pending → sending → sent(wamid) | failed(code, hint) | ambiguous | skipped(reason).
-- ambiguous → sent when a status webhook echoes the recipient's biz_opaque_callback_data.
CREATE TABLE campaign_recipients (
  campaign_id  TEXT NOT NULL,
  row          INTEGER NOT NULL,            -- 1-based row of the submitted list
  wa_id        TEXT NOT NULL,               -- normalised digits
  components   TEXT NOT NULL,               -- the bound send components (JSON)
  state        TEXT NOT NULL,
  attempts     INTEGER NOT NULL DEFAULT 0,
  not_before   INTEGER NOT NULL DEFAULT 0,  -- pending: unix ms before which it is not tried again
  reason       TEXT,                        -- pending: why it waits (tier_limit, …); skipped: why
  wamid        TEXT,
  error_code   TEXT,
  error_hint   TEXT,
  delivery     TEXT,                        -- newest status webhook: sent < delivered < read; failed
  sent_at      INTEGER,                     -- unix ms
  updated_at   INTEGER NOT NULL,
  PRIMARY KEY (campaign_id, row)
);
CREATE INDEX campaign_recipients_state ON campaign_recipients (campaign_id, state);
CREATE INDEX campaign_recipients_sent ON campaign_recipients (campaign_id, sent_at);

-- The opt-in registry per business number (the task description's compliance section):
-- marketing goes only to `in`; an `out` (API or a STOP-style reply) is never sent marketing again.
CREATE TABLE opt_ins (
  phone_number_id TEXT NOT NULL,
  wa_id           TEXT NOT NULL,
  status          TEXT NOT NULL,            -- in | out
  source          TEXT NOT NULL,            -- api | keyword
  updated_at      INTEGER NOT NULL,         -- unix ms
  PRIMARY KEY (phone_number_id, wa_id)
);

-- The daily health check: what Graph said about each configured number, and the last alert sent.
CREATE TABLE phone_health (
  phone_number_id   TEXT PRIMARY KEY,
  app_connection_id TEXT NOT NULL,
  waba_id           TEXT,
  display_number    TEXT,
  quality_rating    TEXT,
  messaging_limit   TEXT,
  throughput        TEXT,
  checked_at        INTEGER NOT NULL,       -- unix ms
  alerted_rating    TEXT                    -- the rating last alerted (no repeat alert for the same drop)
);
