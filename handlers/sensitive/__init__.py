"""Sensitive content (政治, 谣言, a group's own keyword lists): the admins are told; deleted only where the
group says so."""
