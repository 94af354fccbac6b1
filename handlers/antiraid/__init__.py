"""Anti-raid: a wave of joins switches a group into raid mode for a while."""
