"""Accounts: sign-in that resists attack (lockout, session timeouts, security log), single sign-on
with OpenID Connect, and user administration."""
