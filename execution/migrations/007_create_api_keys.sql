-- Migration: 007_create_api_keys
-- Description: Create the api_keys table storing hashed server-side API keys for each tenant.
-- Created: 2025-12-29T00:06:00Z
-- Lock-Timeout: 5s
-- Statement-Timeout: 1min

-- Up Migration
-- SECURITY: the API key itself is NEVER stored. key_hash is the lower-case hex SHA-256 of the full key,
-- and the format CHECK rejects anything else, so a raw key cannot be written here by mistake.
-- Keys are long random tokens, not passwords, so a fast unsalted hash is sufficient.
-- key_prefix is the first characters of the key, shown in dashboards to identify it, and is how a
-- request is looked up before the hash is compared in constant time. It is unique across all tenants
-- because authentication happens before the tenant is known.
-- A key is usable when revoked_at is NULL and expires_at is NULL or in the future.
CREATE TABLE IF NOT EXISTS api_keys (
  id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
  tenant_id UUID NOT NULL,
  name VARCHAR(255) NOT NULL,
  key_prefix VARCHAR(16) NOT NULL UNIQUE,
  key_hash TEXT NOT NULL,
  scopes TEXT[] NOT NULL DEFAULT '{}',
  last_used_at TIMESTAMPTZ,
  expires_at TIMESTAMPTZ,
  revoked_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  CONSTRAINT api_keys_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE,
  CONSTRAINT api_keys_name_not_blank_check CHECK (btrim(name) <> ''),
  CONSTRAINT api_keys_key_prefix_format_check CHECK (key_prefix ~ '^[A-Za-z0-9_]{4,16}$'),
  CONSTRAINT api_keys_key_hash_sha256_hex_check CHECK (key_hash ~ '^[0-9a-f]{64}$')
);

COMMENT ON COLUMN api_keys.key_hash IS 'Lower-case hex SHA-256 of the API key. The key itself is never stored.';

-- Indexes
-- Covers the tenant_id foreign key, including revoked keys that the partial index in 010 leaves out.
CREATE INDEX IF NOT EXISTS idx_api_keys_tenant_id ON api_keys (tenant_id);

CREATE OR REPLACE TRIGGER api_keys_set_updated_at
  BEFORE UPDATE ON api_keys
  FOR EACH ROW
  EXECUTE FUNCTION set_updated_at();

-- Down Migration (commented, for reference)
-- DROP TRIGGER IF EXISTS api_keys_set_updated_at ON api_keys;
-- DROP INDEX IF EXISTS idx_api_keys_tenant_id;
-- DROP TABLE IF EXISTS api_keys;
