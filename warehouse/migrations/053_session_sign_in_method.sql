-- 053: how each dashboard session was signed in ('password' or 'oidc'), so signing out of a session
-- that came from the OpenID provider can also end the provider's session (RP-initiated logout).
-- Sessions from before this migration read as 'password'.
ALTER TABLE sessions ADD COLUMN IF NOT EXISTS signed_in_with String DEFAULT 'password' AFTER org
