#!lua
-- run-now: make one delayed or retrying task ready now (dq task retry; TaskControls.runNow): it leaves `delayed` for
-- the tail of its level's ready list, as the claim's promotion moves a due one, keeping its attempt, priority and data.
-- A type limit still governs it (the claim parks it if its limit is closed); a pause still holds the queue.
-- KEYS[1] tasks  KEYS[2] active  KEYS[3] delayed  KEYS[4] dead  KEYS[5] records  KEYS[6] notify (wake-up list)
-- KEYS[7 .. 18] the priority levels' block (_levels.lua): levels, priorities, the ready lists of levels 0..9
-- KEYS[19] control:<nonce> (this call's reply, kept ARGV[2] ms; the nonce is unique per call, same hash tag)
-- ARGV[1] id  ARGV[2] ms to keep the reply
-- Replies: 'MADE_READY' | 'ALREADY_READY' | 'RUNNING' | 'FINISHED' | 'DEAD' | 'NOT_FOUND'
-- Idempotent: a retry of the same call (same nonce) after a lost reply gets the first try's reply, whatever happened
-- to the task in between.
-- O(log n): one ZREM, one HMGET of its level, one RPUSH, plus the wake-up.
-- Uses the level functions (_levels.lua), which Script.java puts in front of this text.
local LEVELS = 7 -- the first key of the levels' block
local function run_now()
  local id = ARGV[1]
  if redis.call('HEXISTS', KEYS[1], id) == 0 then
    if redis.call('HEXISTS', KEYS[5], id) == 1 then return 'FINISHED' end
    return 'NOT_FOUND'
  end
  if redis.call('ZSCORE', KEYS[4], id) then return 'DEAD' end
  if redis.call('ZSCORE', KEYS[2], id) then return 'RUNNING' end
  if redis.call('ZREM', KEYS[3], id) == 0 then return 'ALREADY_READY' end
  push_ready(LEVELS, {id}, levels_of(LEVELS, {id}), false)
  redis.call('RPUSH', KEYS[6], '1')
  redis.call('LTRIM', KEYS[6], -64, -1)
  return 'MADE_READY'
end

local kept = redis.call('GET', KEYS[19])
if kept then return kept end
local reply = run_now()
redis.call('SET', KEYS[19], reply, 'PX', ARGV[2])
return reply
