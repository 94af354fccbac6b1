"""Members ask for their own data: ``/mydata`` (what is stored, sent privately) and ``/forgetme`` (erasure,
after a confirmation)."""
