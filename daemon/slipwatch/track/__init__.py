"""Tracking: one milestone across many mails, its revisions, slips and the vendor's record.

identity  - which milestone an extracted item is about (name similarity, thread, old date)
timeline  - a milestone's derived state from its revisions (pure: current due, baseline, slip, overdue)
record    - writing a message's items as revisions, inside the message's transaction
scorecard - the vendor record the core team reviews
corrections - fixes by people, from the CLI or by mail
"""
