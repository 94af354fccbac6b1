"""Leaderboards, weekly star, monthly honours, tiers and lotteries."""
