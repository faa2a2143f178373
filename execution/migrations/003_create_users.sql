-- Migration: 003_create_users
-- Description: Create the users table for end users of each tenant, identified by the user id of the tenant system.
-- Created: 2025-12-29T00:02:00Z
-- Lock-Timeout: 5s
-- Statement-Timeout: 1min

-- Up Migration
-- Users belong to exactly one tenant and are identified by the tenant system user id
-- (external_user_id), which is unique per tenant. The seeds rely on ON CONFLICT (tenant_id, external_user_id).
-- email is optional and at most 320 characters (64 local part, @, 255 domain) and is not unique
-- because the tenant system, not ReferralOS, owns identity.
-- subscription_tier mirrors the tiers that tenants.reward_rules prices rewards for.
-- The UNIQUE (tenant_id, id) constraint is redundant as a uniqueness rule (id is the primary key) but
-- it is the target of the composite foreign keys in later tables, which guarantees that a referral
-- code, referral or ledger entry can never point at a user of a different tenant.
-- Users are soft-deleted through deleted_at. A hard delete cascades to their codes and referrals but is
-- refused while rewards_ledger rows reference them, so erase personal data by clearing email and name.
CREATE TABLE IF NOT EXISTS users (
  id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
  tenant_id UUID NOT NULL,
  external_user_id VARCHAR(255) NOT NULL,
  email VARCHAR(320),
  name VARCHAR(255),
  subscription_tier VARCHAR(32) NOT NULL DEFAULT 'free',
  deleted_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  CONSTRAINT users_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE,
  CONSTRAINT users_tenant_external_user_id_key UNIQUE (tenant_id, external_user_id),
  CONSTRAINT users_tenant_id_id_key UNIQUE (tenant_id, id),
  CONSTRAINT users_external_user_id_not_blank_check CHECK (btrim(external_user_id) <> ''),
  CONSTRAINT users_email_format_check CHECK (email IS NULL OR email LIKE '_%@_%'),
  CONSTRAINT users_subscription_tier_check CHECK (subscription_tier IN ('free', 'pro', 'power_pro'))
);

CREATE OR REPLACE TRIGGER users_set_updated_at
  BEFORE UPDATE ON users
  FOR EACH ROW
  EXECUTE FUNCTION set_updated_at();

-- Down Migration (commented, for reference)
-- DROP TRIGGER IF EXISTS users_set_updated_at ON users;
-- DROP TABLE IF EXISTS users;
