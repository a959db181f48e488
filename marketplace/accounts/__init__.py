"""Accounts: users, organisation memberships, sign-up, sign-in, invitations and permissions."""
