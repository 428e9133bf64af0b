"""Every change to a governance record, as ``do_<verb>(..., *, acting_user)`` functions, by subject."""
