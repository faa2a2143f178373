-- Migration: 002_add_account_nickname
-- Description: Give accounts an optional nickname.
-- Created: 2025-01-02T00:00:00Z
-- Imported-From: flyway 1.1
-- Lock-Timeout: 2s
-- Statement-Timeout: 30s

-- Up Migration
ALTER TABLE accounts ADD COLUMN IF NOT EXISTS nickname TEXT;

-- Down Migration (commented, for reference)
-- ALTER TABLE accounts DROP COLUMN IF EXISTS nickname;
