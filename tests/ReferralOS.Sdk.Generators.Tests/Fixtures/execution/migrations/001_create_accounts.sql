-- Migration: 001_create_accounts
-- Description: Create the accounts table.
-- Created: 2025-01-01T00:00:00Z

-- Up Migration
CREATE TABLE IF NOT EXISTS accounts (
  id UUID PRIMARY KEY,
  email VARCHAR(320) NOT NULL UNIQUE,
  is_admin BOOLEAN NOT NULL DEFAULT false,
  credits INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX IF NOT EXISTS idx_accounts_email ON accounts (email);

-- Down Migration (commented, for reference)
-- DROP INDEX IF EXISTS idx_accounts_email;
-- DROP TABLE IF EXISTS accounts;
