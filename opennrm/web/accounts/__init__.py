"""The person's account and the interview record (preliminary identification)."""
