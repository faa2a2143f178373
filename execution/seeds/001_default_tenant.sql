-- Seed: 001_default_tenant
-- Description: Create default QuoteOS tenant for development
-- Environment: development, test

-- Seed-Row: DefaultTenant
INSERT INTO tenants (
  id,
  slug,
  name,
  webhook_url,
  webhook_secret,
  embed_signing_secret,
  allowed_origins,
  reward_rules,
  is_active
) VALUES (
  '00000000-0000-0000-0000-000000000001',
  'quoteos',
  'QuoteOS',
  'http://localhost:3001/api/webhooks/referralos',
  'dev_webhook_secret_do_not_use_in_production',
  'dev_embed_secret_do_not_use_in_production_1234',
  ARRAY['http://localhost:3000', 'http://localhost:3001'],
  '{
    "onboarding_bonus": 0,
    "referral_reward_free": 100,
    "referral_reward_pro": 200,
    "referral_reward_power_pro": 300,
    "currency": "AUD"
  }'::jsonb,
  true
) ON CONFLICT (slug) DO NOTHING;
