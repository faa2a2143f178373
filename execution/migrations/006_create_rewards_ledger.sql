-- Migration: 006_create_rewards_ledger
-- Description: Create the append-only rewards_ledger table recording every reward credit, debit and reversal.
-- Created: 2025-12-29T00:05:00Z
-- Lock-Timeout: 5s
-- Statement-Timeout: 1min

-- Up Migration
-- The ledger is append-only. A balance is SUM(amount_minor) per tenant, user and currency, so amounts
-- are signed: credits are positive, debits negative, and a reversal carries the opposite sign of the
-- entry it cancels. Mistakes are corrected by posting a reversal, never by editing or deleting rows,
-- which is why there is no updated_at column.
-- Amounts are BIGINT minor units (cents) to avoid floating point and rounding issues.
-- idempotency_key is required and unique per tenant so a retried reward job can never pay twice.
-- All foreign keys use the default NO ACTION: ledger rows must never disappear through a cascade,
-- so deleting a tenant, user or referral that has ledger entries is refused.
CREATE TABLE IF NOT EXISTS rewards_ledger (
  id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
  tenant_id UUID NOT NULL,
  user_id UUID NOT NULL,
  referral_id UUID,
  entry_type VARCHAR(16) NOT NULL,
  amount_minor BIGINT NOT NULL,
  currency CHAR(3) NOT NULL,
  description TEXT,
  idempotency_key VARCHAR(255) NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  CONSTRAINT rewards_ledger_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants (id),
  CONSTRAINT rewards_ledger_user_fkey FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id),
  CONSTRAINT rewards_ledger_referral_fkey FOREIGN KEY (tenant_id, referral_id) REFERENCES referrals (tenant_id, id),
  CONSTRAINT rewards_ledger_tenant_idempotency_key_key UNIQUE (tenant_id, idempotency_key),
  CONSTRAINT rewards_ledger_entry_type_check CHECK (entry_type IN ('credit', 'debit', 'reversal')),
  CONSTRAINT rewards_ledger_amount_nonzero_check CHECK (amount_minor <> 0),
  CONSTRAINT rewards_ledger_amount_sign_check CHECK ((entry_type = 'credit' AND amount_minor > 0) OR (entry_type = 'debit' AND amount_minor < 0) OR entry_type = 'reversal'),
  CONSTRAINT rewards_ledger_currency_check CHECK (currency ~ '^[A-Z]{3}$'),
  CONSTRAINT rewards_ledger_idempotency_key_not_blank_check CHECK (btrim(idempotency_key) <> '')
);

-- Guard that enforces append-only at the database level, whatever client writes to the table.
-- It is used both as a row trigger (UPDATE, DELETE) and as a statement trigger (TRUNCATE).
-- A deliberate purge needs a table owner to disable the triggers explicitly, which is an auditable act.
CREATE OR REPLACE FUNCTION rewards_ledger_reject_mutation()
RETURNS trigger
LANGUAGE plpgsql
AS $fn$
BEGIN
  RAISE EXCEPTION 'rewards_ledger is append-only, % is not allowed', TG_OP
    USING ERRCODE = 'restrict_violation',
          HINT = 'Insert a reversal entry instead of changing or removing an existing entry.';
END;
$fn$;

CREATE OR REPLACE TRIGGER rewards_ledger_append_only
  BEFORE UPDATE OR DELETE ON rewards_ledger
  FOR EACH ROW
  EXECUTE FUNCTION rewards_ledger_reject_mutation();

CREATE OR REPLACE TRIGGER rewards_ledger_no_truncate
  BEFORE TRUNCATE ON rewards_ledger
  FOR EACH STATEMENT
  EXECUTE FUNCTION rewards_ledger_reject_mutation();

-- Down Migration (commented, for reference)
-- DROP TRIGGER IF EXISTS rewards_ledger_no_truncate ON rewards_ledger;
-- DROP TRIGGER IF EXISTS rewards_ledger_append_only ON rewards_ledger;
-- DROP TABLE IF EXISTS rewards_ledger;
-- DROP FUNCTION IF EXISTS rewards_ledger_reject_mutation();
