-- Migration: 001_create_extensions
-- Description: Enable the uuid-ossp and pgcrypto extensions and create the shared updated_at trigger function.
-- Created: 2025-12-29T00:00:00Z

-- Up Migration
-- uuid-ossp provides uuid_generate_v4() which every table uses as its primary key default
CREATE EXTENSION IF NOT EXISTS "uuid-ossp";

-- pgcrypto provides digest() and gen_random_bytes() for hashing API keys and generating secrets in SQL
CREATE EXTENSION IF NOT EXISTS pgcrypto;

-- Shared BEFORE UPDATE row trigger function that stamps updated_at on every row change.
-- It uses NOW() (transaction start time) so every row touched by one transaction gets the same
-- stamp, which matches how the created_at defaults behave.
-- Each table that has updated_at attaches it with CREATE OR REPLACE TRIGGER in its own migration.
CREATE OR REPLACE FUNCTION set_updated_at()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
  NEW.updated_at := NOW();
  RETURN NEW;
END;
$$;

-- Down Migration (commented, for reference)
-- DROP FUNCTION IF EXISTS set_updated_at();
-- DROP EXTENSION IF EXISTS pgcrypto;
-- DROP EXTENSION IF EXISTS "uuid-ossp";
