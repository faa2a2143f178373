-- Migration: 004_create_referral_codes
-- Description: Create the referral_codes table holding the shareable codes that users hand out to invite others.
-- Created: 2025-12-29T00:03:00Z
-- Lock-Timeout: 5s
-- Statement-Timeout: 1min

-- Up Migration
-- Codes are unique per tenant and stored upper-case only (letters and digits, 4 to 32 characters),
-- so the application upper-cases user input before lookup and no case-insensitive index is needed.
-- The owner is referenced through (tenant_id, user_id) so a code can never belong to a user of another tenant.
-- uses_count is maintained by the referrals table trigger (see 005), and the uses_within_max CHECK
-- turns max_uses into a hard limit that concurrent redemptions cannot overshoot.
-- max_uses NULL means unlimited. expires_at NULL means the code never expires.
-- UNIQUE (tenant_id, id, user_id) is the target of the referrals foreign key that proves the referrer
-- of a referral is the owner of the code used.
-- Codes are deactivated (is_active false) rather than deleted, to keep referral history intact.
CREATE TABLE IF NOT EXISTS referral_codes (
  id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
  tenant_id UUID NOT NULL,
  user_id UUID NOT NULL,
  code VARCHAR(32) NOT NULL,
  is_active BOOLEAN NOT NULL DEFAULT true,
  uses_count INTEGER NOT NULL DEFAULT 0,
  max_uses INTEGER,
  expires_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  CONSTRAINT referral_codes_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE,
  CONSTRAINT referral_codes_user_fkey FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
  CONSTRAINT referral_codes_tenant_code_key UNIQUE (tenant_id, code),
  CONSTRAINT referral_codes_tenant_id_id_user_id_key UNIQUE (tenant_id, id, user_id),
  CONSTRAINT referral_codes_code_format_check CHECK (code ~ '^[A-Z0-9]{4,32}$'),
  CONSTRAINT referral_codes_uses_count_check CHECK (uses_count >= 0),
  CONSTRAINT referral_codes_max_uses_check CHECK (max_uses IS NULL OR max_uses > 0),
  CONSTRAINT referral_codes_uses_within_max_check CHECK (max_uses IS NULL OR uses_count <= max_uses)
);

CREATE OR REPLACE TRIGGER referral_codes_set_updated_at
  BEFORE UPDATE ON referral_codes
  FOR EACH ROW
  EXECUTE FUNCTION set_updated_at();

-- Down Migration (commented, for reference)
-- DROP TRIGGER IF EXISTS referral_codes_set_updated_at ON referral_codes;
-- DROP TABLE IF EXISTS referral_codes;
