-- Migration: 005_create_referrals
-- Description: Create the referrals table linking a referrer, the code used and the referred user through their lifecycle.
-- Created: 2025-12-29T00:04:00Z
-- Lock-Timeout: 5s
-- Statement-Timeout: 1min

-- Up Migration
-- Lifecycle is pending, then qualified, then rewarded, or it ends as rejected or expired.
-- The timestamp CHECKs keep qualified_at and rewarded_at consistent with the status.
-- A user can be referred at most once per tenant, enforced by UNIQUE (tenant_id, referred_user_id),
-- and nobody can refer themselves.
-- The code foreign key includes referrer_user_id and targets referral_codes (tenant_id, id, user_id), so the
-- database guarantees that the referrer is the owner of the code and that code, referrer, referred user
-- and referral all belong to the same tenant.
-- UNIQUE (tenant_id, id) is the target of the tenant-scoped foreign key from rewards_ledger.
-- Deleting a tenant, user or code cascades here, but rewards_ledger rows (see 006) block the delete of any
-- referral that has been rewarded.
CREATE TABLE IF NOT EXISTS referrals (
  id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
  tenant_id UUID NOT NULL,
  referral_code_id UUID NOT NULL,
  referrer_user_id UUID NOT NULL,
  referred_user_id UUID NOT NULL,
  status VARCHAR(32) NOT NULL DEFAULT 'pending',
  qualified_at TIMESTAMPTZ,
  rewarded_at TIMESTAMPTZ,
  metadata JSONB NOT NULL DEFAULT '{}'::jsonb,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  CONSTRAINT referrals_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants (id) ON DELETE CASCADE,
  CONSTRAINT referrals_referral_code_fkey FOREIGN KEY (tenant_id, referral_code_id, referrer_user_id) REFERENCES referral_codes (tenant_id, id, user_id) ON DELETE CASCADE,
  CONSTRAINT referrals_referrer_user_fkey FOREIGN KEY (tenant_id, referrer_user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
  CONSTRAINT referrals_referred_user_fkey FOREIGN KEY (tenant_id, referred_user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
  CONSTRAINT referrals_tenant_referred_user_key UNIQUE (tenant_id, referred_user_id),
  CONSTRAINT referrals_tenant_id_id_key UNIQUE (tenant_id, id),
  CONSTRAINT referrals_not_self_referral_check CHECK (referrer_user_id <> referred_user_id),
  CONSTRAINT referrals_status_check CHECK (status IN ('pending', 'qualified', 'rewarded', 'rejected', 'expired')),
  CONSTRAINT referrals_qualified_at_check CHECK (status NOT IN ('qualified', 'rewarded') OR qualified_at IS NOT NULL),
  CONSTRAINT referrals_rewarded_at_check CHECK (status <> 'rewarded' OR rewarded_at IS NOT NULL),
  CONSTRAINT referrals_metadata_object_check CHECK (jsonb_typeof(metadata) = 'object')
);

CREATE OR REPLACE TRIGGER referrals_set_updated_at
  BEFORE UPDATE ON referrals
  FOR EACH ROW
  EXECUTE FUNCTION set_updated_at();

-- Every new referral counts as one use of its code. Doing this in the database keeps uses_count
-- correct for every writer (application, seeds, manual fixes) and the UPDATE row lock serialises
-- concurrent redemptions of the same code, so referral_codes_uses_within_max_check enforces max_uses
-- without a race. Application code must therefore never increment uses_count itself.
-- The count is historical: later status changes or deletes of referrals do not decrement it.
CREATE OR REPLACE FUNCTION referrals_count_code_use()
RETURNS trigger
LANGUAGE plpgsql
AS $fn$
BEGIN
  UPDATE referral_codes
     SET uses_count = uses_count + 1
   WHERE id = NEW.referral_code_id;
  RETURN NULL;
END;
$fn$;

CREATE OR REPLACE TRIGGER referrals_count_code_use
  AFTER INSERT ON referrals
  FOR EACH ROW
  EXECUTE FUNCTION referrals_count_code_use();

-- Down Migration (commented, for reference)
-- DROP TRIGGER IF EXISTS referrals_count_code_use ON referrals;
-- DROP TRIGGER IF EXISTS referrals_set_updated_at ON referrals;
-- DROP TABLE IF EXISTS referrals;
-- DROP FUNCTION IF EXISTS referrals_count_code_use();
