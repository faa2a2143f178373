-- Migration: 010_create_indexes
-- Description: Create the secondary indexes for the main query paths and foreign keys of the existing tables.
-- Created: 2025-12-29T00:09:00Z
-- Transaction: none
-- Lock-Timeout: 5s
-- Statement-Timeout: 15min

-- Up Migration
-- These tables already exist and may hold data, so every index is built CONCURRENTLY to avoid blocking
-- writes. CONCURRENTLY cannot run inside a transaction, hence Transaction none.
-- If a concurrent build fails it leaves an INVALID index that IF NOT EXISTS would then skip.
-- Before retrying, look for rows in pg_index with indisvalid false and drop that index CONCURRENTLY.
-- Indexes lead with tenant_id where the query is tenant scoped, which also lets them cover the
-- composite (tenant_id, ...) foreign keys used for tenant isolation.

-- Find a user of a tenant by email, case-insensitively (queries use lower(email)).
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_users_tenant_email ON users (tenant_id, lower(email));

-- Codes owned by a user. Covers the referral_codes (tenant_id, user_id) foreign key to users.
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_referral_codes_tenant_user ON referral_codes (tenant_id, user_id);

-- Referrals made by a referrer, filtered by status for dashboards and reward jobs.
-- Covers the referrals (tenant_id, referrer_user_id) foreign key to users.
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_referrals_tenant_referrer_status ON referrals (tenant_id, referrer_user_id, status);

-- Referrals made with a given code. Covers the referrals foreign key to referral_codes.
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_referrals_tenant_code ON referrals (tenant_id, referral_code_id);

-- Ledger statement and balance of a user in time order. Covers the rewards_ledger foreign key to users.
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_rewards_ledger_tenant_user_created ON rewards_ledger (tenant_id, user_id, created_at);

-- Ledger entries for a referral. Covers the rewards_ledger foreign key to referrals.
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_rewards_ledger_tenant_referral ON rewards_ledger (tenant_id, referral_id);

-- Active (not revoked) keys of a tenant for the dashboard listing.
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_api_keys_tenant_active ON api_keys (tenant_id) WHERE revoked_at IS NULL;

-- Delivery worker queue: due events ordered by next_attempt_at. Partial so that the large and growing
-- set of delivered and dead events does not bloat the hot queue index.
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_webhook_events_due ON webhook_events (next_attempt_at) WHERE status IN ('pending', 'failed');

-- Audit trail of a tenant, newest first. Covers the audit_logs tenant_id foreign key.
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_audit_logs_tenant_created ON audit_logs (tenant_id, created_at DESC);

-- History of one entity.
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_audit_logs_entity ON audit_logs (entity_type, entity_id);

-- Down Migration (commented, for reference)
-- DROP INDEX CONCURRENTLY IF EXISTS idx_audit_logs_entity;
-- DROP INDEX CONCURRENTLY IF EXISTS idx_audit_logs_tenant_created;
-- DROP INDEX CONCURRENTLY IF EXISTS idx_webhook_events_due;
-- DROP INDEX CONCURRENTLY IF EXISTS idx_api_keys_tenant_active;
-- DROP INDEX CONCURRENTLY IF EXISTS idx_rewards_ledger_tenant_referral;
-- DROP INDEX CONCURRENTLY IF EXISTS idx_rewards_ledger_tenant_user_created;
-- DROP INDEX CONCURRENTLY IF EXISTS idx_referrals_tenant_code;
-- DROP INDEX CONCURRENTLY IF EXISTS idx_referrals_tenant_referrer_status;
-- DROP INDEX CONCURRENTLY IF EXISTS idx_referral_codes_tenant_user;
-- DROP INDEX CONCURRENTLY IF EXISTS idx_users_tenant_email;
