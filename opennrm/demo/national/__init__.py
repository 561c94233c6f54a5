"""A national synthetic dataset for benchmarks and demonstrations: `generate_national_dataset`.

Everything it makes is fictional, and says so. Persons have names made of random syllables
(`names`), organisations it adds end with "(fictional)", every narrative starts with
"Fictional", users have addresses under `national.opennrm.invalid`, references start with
`C-NAT-` (cases), `S-NAT-` (concerns) and `P-NAT-` (pseudonyms). The distributions
(`reference`) are rough approximations chosen to look like a national mechanism at scale —
where cases come from, who they are, how far they got — not statistics of real victims.

The demo's organisations and personas are created first with the demo's own code (`seed_demo`'s
organisations and personas, the platform of the Seine-Saint-Denis), so that each persona's
organisation holds a realistic share of the cases and their pages are measured as they would be
used. The cases are then written in bulk (`writer`): PostgreSQL COPY or batched inserts, the
identity fields encrypted by the model fields' own code, the blind-index tokens computed by
`opennrm.crypto.blind` as `Person.save()` does, audit entries sealed one by one with
`AuditEntry.compute_hash()` and then in batches by `opennrm.audit.sealing.seal_all()`.
"""
