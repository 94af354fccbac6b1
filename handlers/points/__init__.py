"""Points ledger and redemptions."""
