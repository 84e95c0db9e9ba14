"""Reading vendor mail: finding dates, milestones and their status."""
