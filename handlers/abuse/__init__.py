"""Personal attacks and insults (人身攻击 / 辱骂): deleted and struck as category ``abuse``."""
