#!lua flags=allow-oom
-- cancel: cancel one task (dq task cancel; TaskCancels.cancel). A waiting task ends at once: ready (its level's list),
-- held back by a type limit (limit:parked:<type>), delayed or retrying. A running one (an unexpired lease in active)
-- is marked in `cancelled`: its worker learns it (HMGET cancelled) and settles it with settle-cancelled.lua, and
-- reclaim, retry and release end a marked task as cancelled instead of queueing it again. A lease that expired and was
-- not reclaimed yet ends at once: nobody may settle it any more.
-- KEYS[1] tasks  KEYS[2] attempts  KEYS[3] active  KEYS[4] leases  KEYS[5] delayed  KEYS[6] dead  KEYS[7] records
-- KEYS[8] finished  KEYS[9] started  KEYS[10] errors  KEYS[11] cancelled  KEYS[12] limit:parked (set of types with a
-- parked list; the list of type T is the key named KEYS[12] .. ':' .. T, same hash tag, so the same slot)
-- KEYS[13 .. 24] the priority levels' block (_levels.lua): levels, priorities, the ready lists of levels 0..9
-- ARGV[1] id  ARGV[2] now ms override ('' = Redis TIME; test hook)
-- Replies: {'CANCELLED'} | {'REQUESTED'} | {'ALREADY_ENDED', state: 'succeeded' | 'cancelled' | 'dead'} | {'NOT_FOUND'}
-- A ready id is taken out of its list with LREM: O(length of its level's list), only when a ready task is cancelled;
-- the claim pays nothing for cancels (docs/redis-data-model.md, "Cancel").
-- Uses server_now (_now.lua), the level functions (_levels.lua), take_waiting (_waiting.lua) and cancel_end
-- (_cancel.lua), which Script.java puts in front of this text.
local LEVELS = 13 -- the first key of the levels' block
local id = ARGV[1]
local now = server_now(ARGV[#ARGV])
local k = {tasks = KEYS[1], attempts = KEYS[2], active = KEYS[3], leases = KEYS[4], delayed = KEYS[5],
  records = KEYS[7], finished = KEYS[8], started = KEYS[9], errors = KEYS[10], cancelled = KEYS[11],
  priorities = KEYS[LEVELS + 1]}
local data = redis.call('HGET', KEYS[1], id)
if not data then
  local rec = redis.call('HGET', KEYS[7], id)
  if not rec then return {'NOT_FOUND'} end
  local ok, r = pcall(cjson.decode, rec)
  return {'ALREADY_ENDED', ok and type(r) == 'table' and r.state or 'finished'}
end
if redis.call('ZSCORE', KEYS[6], id) then return {'ALREADY_ENDED', 'dead'} end
local exp = redis.call('ZSCORE', KEYS[3], id)
if exp and tonumber(exp) > now then
  redis.call('HSETNX', KEYS[11], id, now)
  return {'REQUESTED'}
end
if not exp then take_waiting(LEVELS, KEYS[5], KEYS[12], id, data) end
cancel_end(k, id, now, exp and true or false)
return {'CANCELLED'}
