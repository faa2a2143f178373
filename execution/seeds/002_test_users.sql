-- Seed: 002_test_users
-- Description: Create test users for development
-- Environment: development, test

-- Test referrer user
-- Seed-Row: TestReferrer
INSERT INTO users (
  id,
  tenant_id,
  external_user_id,
  email,
  name,
  subscription_tier
) VALUES (
  '00000000-0000-0000-0000-000000000101',
  '00000000-0000-0000-0000-000000000001',
  'test_referrer_001',
  'referrer@example.com',
  'Test Referrer',
  'pro'
) ON CONFLICT (tenant_id, external_user_id) DO NOTHING;

-- Create referral code for test referrer
-- Seed-Row: TestReferrerCode
INSERT INTO referral_codes (
  id,
  tenant_id,
  user_id,
  code,
  is_active
) VALUES (
  '00000000-0000-0000-0000-000000000201',
  '00000000-0000-0000-0000-000000000001',
  '00000000-0000-0000-0000-000000000101',
  'TESTREF001',
  true
) ON CONFLICT (tenant_id, code) DO NOTHING;

-- Test referred user (no referral yet)
-- Seed-Row: TestReferred
INSERT INTO users (
  id,
  tenant_id,
  external_user_id,
  email,
  name,
  subscription_tier
) VALUES (
  '00000000-0000-0000-0000-000000000102',
  '00000000-0000-0000-0000-000000000001',
  'test_referred_001',
  'referred@example.com',
  'Test Referred',
  'free'
) ON CONFLICT (tenant_id, external_user_id) DO NOTHING;
