-- Seed: 003_sample_referrals
-- Description: Create a sample qualified referral and its referrer reward for development
-- Environment: development, test

-- Sample referral: the test referred user signed up with code TESTREF001 of the test referrer
-- Inserting it counts one use of TESTREF001 through the referrals trigger, so uses_count becomes 1
-- Seed-Row: SampleReferral
INSERT INTO referrals (
  id,
  tenant_id,
  referral_code_id,
  referrer_user_id,
  referred_user_id,
  status,
  qualified_at
) VALUES (
  '00000000-0000-0000-0000-000000000301',
  '00000000-0000-0000-0000-000000000001',
  '00000000-0000-0000-0000-000000000201',
  '00000000-0000-0000-0000-000000000101',
  '00000000-0000-0000-0000-000000000102',
  'qualified',
  '2025-12-29T00:00:00Z'
) ON CONFLICT (tenant_id, referred_user_id) DO NOTHING;

-- Reward credit for the referrer (pro tier, referral_reward_pro 200 minor units AUD)
-- Seed-Row: SampleReferralReward
INSERT INTO rewards_ledger (
  id,
  tenant_id,
  user_id,
  referral_id,
  entry_type,
  amount_minor,
  currency,
  description,
  idempotency_key
) VALUES (
  '00000000-0000-0000-0000-000000000401',
  '00000000-0000-0000-0000-000000000001',
  '00000000-0000-0000-0000-000000000101',
  '00000000-0000-0000-0000-000000000301',
  'credit',
  200,
  'AUD',
  'Referral reward for code TESTREF001 (pro tier)',
  'referral-reward:00000000-0000-0000-0000-000000000301'
) ON CONFLICT (tenant_id, idempotency_key) DO NOTHING;
