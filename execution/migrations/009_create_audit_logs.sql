-- Migration: 009_create_audit_logs
-- Description: Create the audit_logs table recording who did what to which entity and when.
-- Created: 2025-12-29T00:08:00Z
-- Lock-Timeout: 5s
-- Statement-Timeout: 1min

-- Up Migration
-- tenant_id is nullable on purpose: platform-level actions by admins or the system (creating,
-- suspending or purging a tenant, key rotation jobs) are not scoped to one tenant, or must outlive it.
-- Actions by a user or an API key always happen inside a tenant, which a CHECK enforces.
-- The tenant foreign key cascades because a tenant purge must also remove the personal data kept here
-- (IP addresses, user agents). The purge itself is logged as a platform entry with a NULL tenant_id.
-- entity_id is TEXT because audited entities use UUIDs, external ids or other keys.
-- Rows are written once and never updated, so there is no updated_at. There is deliberately no
-- append-only trigger because retention jobs must be able to delete old rows.
CREATE TABLE IF NOT EXISTS audit_logs (
  id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
  tenant_id UUID,
  actor_type VARCHAR(16) NOT NULL,
  actor_id TEXT,
  action VARCHAR(100) NOT NULL,
  entity_type VARCHAR(100),
  entity_id TEXT,
  changes JSONB,
  ip_address INET,
  user_agent TEXT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  CONSTRAINT audit_logs_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE,
  CONSTRAINT audit_logs_actor_type_check CHECK (actor_type IN ('user', 'api_key', 'system', 'admin')),
  CONSTRAINT audit_logs_actor_id_check CHECK (actor_type = 'system' OR actor_id IS NOT NULL),
  CONSTRAINT audit_logs_tenant_scope_check CHECK (tenant_id IS NOT NULL OR actor_type IN ('system', 'admin')),
  CONSTRAINT audit_logs_action_not_blank_check CHECK (btrim(action) <> ''),
  CONSTRAINT audit_logs_entity_check CHECK ((entity_type IS NULL) = (entity_id IS NULL))
);

-- Down Migration (commented, for reference)
-- DROP TABLE IF EXISTS audit_logs;
