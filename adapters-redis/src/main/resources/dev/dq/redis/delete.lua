#!lua flags=allow-oom
-- delete: delete one task (dq task delete; TaskControls.delete). A waiting task (ready at any level, held back by a
-- type limit, delayed, retrying) goes entirely, as if never enqueued, and its unique key is freed even within its
-- window (unless a later task holds it); a finished task's record leaves `records` and `finished`, and its unique key
-- is released as trim releases it. A task in `active` (running, or its lease expired and not reclaimed yet) and a
-- dead one are refused; dead letters are deleted by dlq-delete.lua.
-- allow-oom: it only frees memory.
-- KEYS[1] tasks  KEYS[2] attempts  KEYS[3] active  KEYS[4] leases  KEYS[5] delayed  KEYS[6] dead  KEYS[7] records
-- KEYS[8] finished  KEYS[9] started  KEYS[10] errors  KEYS[11] cancelled  KEYS[12] limit:parked (as in cancel.lua)
-- KEYS[13 .. 24] the priority levels' block (_levels.lua): levels, priorities, the ready lists of levels 0..9
-- KEYS[25] failures  KEYS[26] dumps  KEYS[27] unique  KEYS[28] unique-of  KEYS[29] unique-until
-- KEYS[30] control:<nonce> (this call's reply, kept ARGV[2] ms; the nonce is unique per call, same hash tag)
-- ARGV[1] id  ARGV[2] ms to keep the reply  ARGV[3] now ms override ('' = Redis TIME; test hook)
-- Replies: 'DELETED' | 'RECORD_DELETED' | 'RUNNING' | 'DEAD' | 'NOT_FOUND'
-- Idempotent: a retry of the same call (same nonce) after a lost reply gets the first try's reply, whatever happened
-- to the task in between (a task enqueued again under the id is not deleted by the retry).
-- Costs what a cancel of the same task costs: one LREM for a ready or parked id, else O(log n). An id not where its
-- level and type say (take_waiting finds it nowhere) is taken out of every ready list and every parked list before
-- its data goes, so no list keeps an id without data (the claim would dead-letter it as dq.undecodable).
-- Uses server_now (_now.lua), the level functions (_levels.lua), take_waiting (_waiting.lua), forget_held
-- (_cancel.lua) and release_unique (_unique.lua), which Script.java puts in front of this text.
local LEVELS = 13 -- the first key of the levels' block
local function delete()
  local id = ARGV[1]
  local now = server_now(ARGV[#ARGV])
  local data = redis.call('HGET', KEYS[1], id)
  if not data then
    if redis.call('HDEL', KEYS[7], id) == 0 then return 'NOT_FOUND' end
    redis.call('ZREM', KEYS[8], id)
    release_unique(KEYS[27], KEYS[28], KEYS[29], id, now)
    return 'RECORD_DELETED'
  end
  if redis.call('ZSCORE', KEYS[6], id) then return 'DEAD' end
  if redis.call('ZSCORE', KEYS[3], id) then return 'RUNNING' end
  if not take_waiting(LEVELS, KEYS[5], KEYS[12], id, data) then
    for p = 0, 9 do redis.call('LREM', level_list(LEVELS, p), 0, id) end
    for _, ty in ipairs(redis.call('SMEMBERS', KEYS[12])) do
      local list = KEYS[12] .. ':' .. ty
      if redis.call('LREM', list, 0, id) > 0 and redis.call('LLEN', list) == 0 then redis.call('SREM', KEYS[12], ty) end
    end
  end
  forget_held({tasks = KEYS[1], attempts = KEYS[2], active = KEYS[3], leases = KEYS[4], delayed = KEYS[5],
    started = KEYS[9], errors = KEYS[10], cancelled = KEYS[11], priorities = KEYS[LEVELS + 1]}, id)
  redis.call('HDEL', KEYS[25], id)
  redis.call('HDEL', KEYS[26], id)
  release_unique(KEYS[27], KEYS[28], KEYS[29], id, now, true)
  return 'DELETED'
end

local kept = redis.call('GET', KEYS[30])
if kept then return kept end
local reply = delete()
redis.call('SET', KEYS[30], reply, 'PX', ARGV[2])
return reply
