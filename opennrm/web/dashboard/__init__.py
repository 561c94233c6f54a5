"""The signed-in home (dashboard) and the switch between the organisations a user acts for."""
