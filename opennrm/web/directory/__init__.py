"""Management of the directory of contact bodies (the public directory: opennrm.web.public)."""
