"""Data protection: exceptional access, the person's rights, the retention report."""
