-- Migration: 008_create_webhook_events
-- Description: Create the webhook_events outbox table for reliable delivery of outgoing tenant webhooks.
-- Created: 2025-12-29T00:07:00Z
-- Lock-Timeout: 5s
-- Statement-Timeout: 1min

-- Up Migration
-- Transactional outbox: events are inserted in the same transaction as the change that caused them,
-- and a worker delivers them afterwards, so no webhook is lost or sent for a rolled-back change.
-- Worker flow: claim due rows (status pending or failed, next_attempt_at in the past) with
-- FOR UPDATE SKIP LOCKED, set status delivering, POST, then mark delivered or failed with a backed-off
-- next_attempt_at, or dead once the retry budget is spent.
-- event_type is a lower-case dotted name such as referral.qualified.
-- delivered_at is set exactly when status is delivered, enforced by a CHECK.
CREATE TABLE IF NOT EXISTS webhook_events (
  id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
  tenant_id UUID NOT NULL,
  event_type VARCHAR(100) NOT NULL,
  payload JSONB NOT NULL,
  status VARCHAR(16) NOT NULL DEFAULT 'pending',
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  last_error TEXT,
  delivered_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  CONSTRAINT webhook_events_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE,
  CONSTRAINT webhook_events_event_type_format_check CHECK (event_type ~ '^[a-z0-9_]+(\.[a-z0-9_]+)*$'),
  CONSTRAINT webhook_events_payload_object_check CHECK (jsonb_typeof(payload) = 'object'),
  CONSTRAINT webhook_events_status_check CHECK (status IN ('pending', 'delivering', 'delivered', 'failed', 'dead')),
  CONSTRAINT webhook_events_attempts_check CHECK (attempts >= 0),
  CONSTRAINT webhook_events_delivered_at_check CHECK ((status = 'delivered') = (delivered_at IS NOT NULL))
);

-- Indexes
-- Event history of a tenant, newest first. Also covers the tenant_id foreign key.
CREATE INDEX IF NOT EXISTS idx_webhook_events_tenant_created ON webhook_events (tenant_id, created_at DESC);

CREATE OR REPLACE TRIGGER webhook_events_set_updated_at
  BEFORE UPDATE ON webhook_events
  FOR EACH ROW
  EXECUTE FUNCTION set_updated_at();

-- Down Migration (commented, for reference)
-- DROP TRIGGER IF EXISTS webhook_events_set_updated_at ON webhook_events;
-- DROP INDEX IF EXISTS idx_webhook_events_tenant_created;
-- DROP TABLE IF EXISTS webhook_events;
