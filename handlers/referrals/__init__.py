"""Named invite links and referral credit."""
