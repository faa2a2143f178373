-- Migration: 002_create_tenants
-- Description: Create the tenants table that holds per-tenant configuration, signing secrets and reward rules.
-- Created: 2025-12-29T00:01:00Z

-- Up Migration
-- Every other table hangs off tenants.
-- Tenants are soft-deleted through deleted_at so their history (rewards ledger, audit trail) survives.
-- is_active is a separate switch for suspending a tenant without deleting it.
-- slug is a DNS-label style identifier (lower-case letters, digits and single inner hyphens, max 63)
-- so it can be used in URLs and host names. It has a plain UNIQUE constraint (not only a partial
-- index) so that seeds can use ON CONFLICT (slug), and so a slug is never reused after a soft delete.
-- webhook_secret and embed_signing_secret are HMAC keys the service must read back to sign payloads,
-- so unlike API keys they cannot be stored as hashes. Protect them with column privileges or
-- application-level encryption.
-- reward_rules holds amounts in minor units per subscription tier plus the currency code.
-- Status-like values use CHECK constraints rather than ENUM types everywhere in this schema because
-- a CHECK can later be replaced with a NOT VALID constraint plus VALIDATE without rewriting the table,
-- while enum values can never be removed.
CREATE TABLE IF NOT EXISTS tenants (
  id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
  slug VARCHAR(63) NOT NULL UNIQUE,
  name VARCHAR(255) NOT NULL,
  webhook_url TEXT,
  webhook_secret TEXT,
  embed_signing_secret TEXT,
  allowed_origins TEXT[] NOT NULL DEFAULT '{}',
  reward_rules JSONB NOT NULL DEFAULT '{}'::jsonb,
  is_active BOOLEAN NOT NULL DEFAULT true,
  deleted_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  CONSTRAINT tenants_slug_format_check CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  CONSTRAINT tenants_name_not_blank_check CHECK (btrim(name) <> ''),
  CONSTRAINT tenants_webhook_url_scheme_check CHECK (webhook_url IS NULL OR webhook_url ~* '^https?://'),
  CONSTRAINT tenants_reward_rules_object_check CHECK (jsonb_typeof(reward_rules) = 'object')
);

-- Indexes
-- Lookup of live tenants by slug. The UNIQUE constraint already indexes slug, this smaller partial
-- index only holds tenants that are not soft-deleted.
CREATE INDEX IF NOT EXISTS idx_tenants_slug ON tenants(slug) WHERE deleted_at IS NULL;

CREATE OR REPLACE TRIGGER tenants_set_updated_at
  BEFORE UPDATE ON tenants
  FOR EACH ROW
  EXECUTE FUNCTION set_updated_at();

-- Down Migration (commented, for reference)
-- DROP TRIGGER IF EXISTS tenants_set_updated_at ON tenants;
-- DROP INDEX IF EXISTS idx_tenants_slug;
-- DROP TABLE IF EXISTS tenants;
