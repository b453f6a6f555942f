"""OrgKit: a workshop dashboard for community organizers."""
