-- Seed: 001_admin_account
-- Description: An administrator account for development.
-- Environment: development, test

-- Seed-Row: Admin
INSERT INTO accounts (id, email, is_admin, credits, nickname)
VALUES ('6f1c2a52-0000-4000-8000-000000000001', 'admin@example.com', true, 100, 'root')
ON CONFLICT (id) DO NOTHING;
