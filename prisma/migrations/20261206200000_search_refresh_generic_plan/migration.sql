-- Written by hand. debrief_search_refresh runs in a trigger for every retro, debrief, perspective,
-- lesson, outcome and thread reply written. PL/pgSQL plans its big INSERT ... SELECT (six lateral
-- joins) afresh on every call while it judges a plan for its own array argument cheaper than a
-- generic one, and it always did: planning was about half of each refresh (1.05 ms of a new
-- retro's insert against 0.57 ms with one generic plan per connection, measured on PostgreSQL 15),
-- and under load the largest single cost in the database of a new loss. The generic plan looks
-- each retro up by its key, which is what every caller wants: one retro, or a few.
ALTER FUNCTION debrief_search_refresh(UUID[]) SET plan_cache_mode = force_generic_plan;
