-- limit-parked: how many ids of a queue a type limit holds back (parked lists), for stats and queue deletion.
-- KEYS[1] limit:parked (set of type names with a parked list)
-- The lists' names are built from KEYS[1]'s (limit:parked:<type>, same hash tag, so the same slot).
-- Replies: the count
local n = 0
for _, name in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  n = n + redis.call('LLEN', KEYS[1] .. ':' .. name)
end
return n
