"""Contracts: a client's subscriptions, retention offers within the pack's rules, cancellations."""
